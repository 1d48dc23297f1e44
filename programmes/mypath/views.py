from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from polku.access import membership_get

from .selectors import cohort_path_get, commitments_until_next_day


@login_required
def cohort_path(request, cohort_slug):
    """My path: the cohort's year as a timeline, what's next and what changed."""
    membership = membership_get(request.user, cohort_slug)
    now = timezone.now()
    items = cohort_path_get(membership=membership, now=now)
    return render(
        request,
        "programmes/cohort_path.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "programme": membership.cohort.programme,
            "items": items,
            "next_item": next((item for item in items if item.is_next), None),
            "commitments": commitments_until_next_day(membership=membership, items=items, now=now)
            if membership.is_participant
            else [],
        },
    )
