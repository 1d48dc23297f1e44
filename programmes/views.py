from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.access import cohort_page_get, membership_get
from polku.people.models import Role
from polku.pwa import offline_keep

from .access import cohort_calendar
from .models import TrainingDayPage, TrainingDaySchedule
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


@login_required
def training_day_join(request, cohort_slug, page_id):
    """The day's online meeting, opened through Polku: only the cohort's people get the
    address, and a changed link is the new one everywhere (emails and calendars link here)."""
    membership = membership_get(request.user, cohort_slug)
    page = cohort_page_get(membership, TrainingDayPage, page_id)
    schedule = cohort_calendar(membership.cohort).day_dates.get(page.id)
    if schedule is None or schedule.cancelled or not schedule.meeting_url:
        raise Http404
    return HttpResponseRedirect(schedule.meeting_url)


@login_required
@require_POST
def day_invitations(request, cohort_slug, page_id):
    """A trainer or organiser sends the day to its people's calendars as an invitation by
    email; from then on every change goes to them as an update (programmes.calendars)."""
    membership = membership_get(request.user, cohort_slug, roles=(Role.TRAINER, Role.ORGANISER))
    page = cohort_page_get(membership, TrainingDayPage, page_id)
    schedule = get_object_or_404(TrainingDaySchedule, cohort=membership.cohort, page=page)
    if not schedule.invitations_on:
        schedule.invitations_on = True
        schedule.save(update_fields=["invitations_on"])
    messages.success(
        request, _("Calendar invitations are on their way. Changes to the day will follow.")
    )
    return redirect("cohort_training_day", cohort_slug=cohort_slug, page_id=page.id)
