"""Answers that belong to the whole site rather than to one view."""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """While the database restarts, a person gets a page in their language that says what
    happened and what to do ("nothing was saved, try again in a moment"), with 503 and a
    Retry-After, instead of a server error. The page needs no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s %s", request.method, request.path)
        html = render_to_string("503.html", {"LANGUAGE_CODE": request.LANGUAGE_CODE})
        return HttpResponse(html, status=503, headers={"Retry-After": "5"})


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header, with the policy of settings.CONTENT_SECURITY_POLICY for Polku's
    own pages (no inline script at all) and the looser POLKU_ADMIN_CSP for the Wagtail admin,
    whose pages still carry inline scripts and styles of their own."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith("/admin/"):
            parts.config = settings.POLKU_ADMIN_CSP
        return parts


class MalformedAdminPostMiddleware:
    """A hand-made or truncated POST to the Wagtail admin (a StreamField's counts missing or
    not numbers) makes Wagtail's form code raise KeyError or ValueError. The browser's forms
    never send that; whoever did gets 400 and a sentence, not a server error. Logged with
    its traceback, so a real bug is still seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (
            request.method == "POST"
            and request.path_info.startswith("/admin/")
            and isinstance(exception, KeyError | ValueError)
        ):
            return None
        logger.error("malformed admin POST to %s", request.path, exc_info=exception)
        message = _("The form arrived incomplete. Reload the page and try again.")
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class IdentityProviderUnreachableMiddleware:
    """Single sign-on asks the organisation's identity provider (its OpenID configuration,
    keys and tokens) while the person waits. When it cannot be reached, the person is told
    so, in their language, with 502, rather than shown a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import requests

        if not isinstance(exception, requests.RequestException):
            return None
        logger.warning(
            "identity provider unreachable: %s %s: %s", request.method, request.path, exception
        )
        return render(request, "people/sso_unreachable.html", status=502)
