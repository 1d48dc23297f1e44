"""Polku on a phone as an installable app that keeps working without a network: the web app
manifest (static/manifest.webmanifest), the service worker (templates/sw.js, served from
the site's root so that it may look after every page) and the page it shows offline.

What the worker keeps: Polku's own scripts and styles (cached when it installs, replaced
whole with each release), and the participant's pages that say they may be read offline
(`offline_keep`): the path, training days and assignments, each the last time it was
opened with a network, plus those the path names (the next day, open assignments). Nothing
of staff pages. Logging out forgets the kept pages (static/offline.js): a phone may be
shared."""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

OFFLINE_HEADER = "X-Polku-Offline"
# What a page needs to work offline, fetched when the worker installs.
ASSETS = [
    "polku.css",
    "polku.js",
    "offline.js",
    "resumable.js",
    "answer/main.js",
    "answer/autosave.js",
    "answer/conflicts.js",
    "answer/fields.js",
    "answer/reply.js",
    "answer/uploads.js",
    "vendor/tus-js-client-4.3.1.min.js",
    "vendor/idb-keyval-6.3.0.js",
    "icons/polku.svg",
    "icons/polku-192.png",
]


def phone_context(request) -> dict:
    """Context processor: how large a piece of a resumable upload is (resumable.js), and the
    words offline.js shows, in the person's language; a count's two forms are given whole
    (Finnish and English both have two)."""
    return {
        "upload_piece_bytes": settings.POLKU_RESUMABLE_PIECE_BYTES,
        "offline_i18n": {
            "offline": _(
                "You are offline. Your path, the next day and open assignments can still be "
                "read; what you type is kept on this device and sent when the connection "
                "returns."
            ),
            "sending": _("Connected: sending what was kept on this device…"),
            "waiting": _("Waiting to be sent:"),
            "answers": [
                ngettext("%(n)s answer", "%(n)s answers", 1),
                ngettext("%(n)s answer", "%(n)s answers", 2),
            ],
            "files": [
                ngettext("%(n)s file", "%(n)s files", 1),
                ngettext("%(n)s file", "%(n)s files", 2),
            ],
        },
    }


def offline_keep(response, membership):
    """Marks a participant's page as one the service worker keeps for reading offline; staff
    pages are not kept."""
    if membership.is_participant and response.status_code == 200:
        response[OFFLINE_HEADER] = "keep"
    return response


@require_GET
@cache_control(no_cache=True)  # a new release reaches phones at their next visit
def service_worker(request):
    assets = [static(name) for name in ASSETS]
    body = render_to_string(
        "sw.js",
        {
            "assets": json.dumps(assets),
            "offline_url": json.dumps(reverse("offline")),
            "header": json.dumps(OFFLINE_HEADER.lower()),
        },
    )
    # The worker's version: what it fetches (hashed names change with their content) and its
    # own code. A new version replaces the old cache of scripts and styles whole.
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return HttpResponse(
        body.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8"
    )


@require_GET
def offline(request):
    """What a page that was never kept shows without a network. Nothing personal: it is
    kept for every person of the device."""
    return render(request, "offline.html")
