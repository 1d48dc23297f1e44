import dataclasses
import hashlib

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from polku.access import membership_get
from polku.caching import cached_fragment
from polku.people.versions import STRUCTURE
from polku.pwa import offline_keep

from .selectors import PathItem, cohort_path_get, commitments_until_next_day

# What a path item shows beyond its page and dates (which the structure's version covers):
# every other field of PathItem, so a field added later is part of the key by itself.
_ITEM_STATE = [f.name for f in dataclasses.fields(PathItem) if f.name not in ("page", "schedule")]


@login_required
def cohort_path(request, cohort_slug):
    """My path: the cohort's year as a timeline, what's next and what changed."""
    membership = membership_get(request.user, cohort_slug)
    now = timezone.now()
    items = cohort_path_get(membership=membership, now=now)
    context = {
        "membership": membership,
        "cohort": membership.cohort,
        "programme": membership.cohort.programme,
        "items": items,
        "next_item": next((item for item in items if item.is_next), None),
        "commitments": commitments_until_next_day(membership=membership, items=items, now=now)
        if membership.is_participant
        else [],
    }
    # Rendering the timeline was most of the page's time, and it is the same until the path
    # or this person's statuses change: it is kept under a digest of everything it shows
    # that the structure's version does not cover.
    state = (
        membership.role,
        membership.small_group_id,
        context["commitments"],
        [
            (item.page.id, item.schedule and item.schedule.id)
            + tuple(getattr(item, name) for name in _ITEM_STATE)
            for item in items
        ],
    )
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    context["body"] = cached_fragment(
        request,
        f"path:{membership.id}:{digest}",
        "programmes/includes/path_body.html",
        context,
        versions=[STRUCTURE],
    )
    # The next day and the open assignments: the phone keeps them for reading offline.
    next_day = next((i for i in items if i.is_day and i.status in ("today", "upcoming")), None)
    context["offline_pages"] = [
        reverse(
            "cohort_training_day" if item.is_day else "cohort_assignment",
            args=[cohort_slug, item.page.id],
        )
        for item in items
        if item is next_day or item.status in ("open", "due_soon", "overdue")
    ]
    response = render(request, "programmes/cohort_path.html", context)
    return offline_keep(response, membership)
