from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from polku.access import cohort_page_get, membership_get
from polku.pwa import offline_keep

from .access import cohort_calendar
from .models import TrainingDayPage
from .services import page_visit_record


def cohort_page_context(request, cohort_slug, page_id, page_model) -> dict:
    """What every page of a path shows: the page through the person's cohort, the cohort's
    dates for it, and whether it changed since their last visit (which this records)."""
    membership = membership_get(request.user, cohort_slug)
    page = cohort_page_get(membership, page_model, page_id)
    calendar = cohort_calendar(membership.cohort)
    dates = calendar.day_dates if page_model is TrainingDayPage else calendar.assignment_dates
    schedule = dates.get(page.id)
    previous_visit = page_visit_record(user=request.user, page=page)
    return {
        "membership": membership,
        "cohort": membership.cohort,
        "page": page,
        "schedule": schedule,
        "previous_visit": previous_visit,
        "is_updated": bool(
            previous_visit and page.last_published_at and page.last_published_at > previous_visit
        ),
    }


@login_required
def training_day(request, cohort_slug, page_id):
    context = cohort_page_context(request, cohort_slug, page_id, TrainingDayPage)
    response = render(request, "programmes/training_day.html", context)
    return offline_keep(response, context["membership"])
