"""Training days and due dates in people's calendars: their private feed (polku.calendars)
and invitations by email with an .ics attachment, sent again as an update or a cancellation
whenever what a calendar shows of the day changes."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from polku.calendars import Event, calendar_build, source
from polku.notifications.services import Topic, send_once
from polku.people.models import Membership, Role

from .models import AssignmentSchedule, TrainingDaySchedule

INVITED_ROLES = (Role.PARTICIPANT, Role.TRAINER)  # who attends a day (organisers follow)


def day_event(schedule: TrainingDaySchedule) -> Event:
    """The cohort's day as every calendar shows it, in the active language."""
    cohort, page = schedule.cohort, schedule.page
    page_url = settings.SITE_URL + reverse("cohort_training_day", args=[cohort.slug, page.id])
    lines = [_("Agenda and materials: %(url)s") % {"url": page_url}]
    location = schedule.place
    if schedule.meeting_url:
        join = settings.SITE_URL + reverse("training_day_join", args=[cohort.slug, page.id])
        lines.insert(0, _("Join online: %(url)s") % {"url": join})
        location = location or _("Online")
    return Event(
        key=f"training-day-{schedule.id}",
        summary=f"{page.title} · {cohort.name}",
        starts=schedule.starts_at,
        ends=schedule.ends_at,
        sequence=schedule.sequence,
        cancelled=schedule.cancelled,
        location=location,
        url=page_url,
        description="\n".join(lines),
        categories=(_("Training day"),),
    )


def due_event(schedule: AssignmentSchedule) -> Event:
    cohort, page = schedule.cohort, schedule.page
    url = settings.SITE_URL + reverse("cohort_assignment", args=[cohort.slug, page.id])
    return Event(
        key=f"assignment-due-{schedule.id}",
        summary=_("Due: %(title)s") % {"title": page.title},
        # A moment rather than a span: calendars show it at the due time.
        starts=schedule.due_at - timedelta(minutes=30),
        ends=schedule.due_at,
        url=url,
        description=url,
        categories=(_("Assignment"),),
    )


@source
def path_events(user) -> list[Event]:
    """The person's training days in every cohort they belong to, and the due dates of the
    assignments where they are a participant. Three queries."""
    roles = dict(
        Membership.objects.filter(user=user, cohort__anonymised_at=None).values_list(
            "cohort_id", "role"
        )
    )
    days = (
        TrainingDaySchedule.objects.filter(cohort_id__in=list(roles), page__live=True)
        .select_related("page", "cohort")
        .order_by("starts_at")
    )
    participant_in = [cohort for cohort, role in roles.items() if role == Role.PARTICIPANT]
    dues = (
        AssignmentSchedule.objects.filter(cohort_id__in=participant_in, page__live=True)
        .select_related("page", "cohort")
        .order_by("due_at")
    )
    return [day_event(day) for day in days] + [due_event(due) for due in dues]


def invitation_attachment(schedule: TrainingDaySchedule, email: str) -> tuple[str, bytes, str]:
    """The day as an invitation (iTIP REQUEST, or CANCEL once cancelled) to one person."""
    method = "CANCEL" if schedule.cancelled else "REQUEST"
    content = calendar_build(
        [day_event(schedule)],
        name=schedule.cohort.name,
        method=method,
        organizer=parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        attendee=email,
    )
    return ("invite.ics", content, f"text/calendar; charset=utf-8; method={method}")


def day_invitations_send(schedule_id: int) -> int:
    """Sends the day's current version to each of its people once (send_once, keyed by the
    sequence): a retry or a second run sends nobody anything twice."""
    schedule = (
        TrainingDaySchedule.objects.select_related("page", "cohort").filter(id=schedule_id).first()
    )
    if schedule is None or not schedule.invitations_on:
        return 0
    sequence = schedule.sequence
    people = (
        Membership.objects.filter(
            cohort_id=schedule.cohort_id,
            role__in=INVITED_ROLES,
            user__is_active=True,
            user__erased_at=None,
        )
        .select_related("user")
        .order_by("id")
    )
    sent = 0
    for membership in people:
        user = membership.user
        with translation.override(user.language or schedule.cohort.language):
            attachment = invitation_attachment(schedule, user.email)
        sent += send_once(
            user,
            f"day-ics:{schedule.id}:{sequence}",
            "programmes/email/day_invitation",
            {
                "schedule": schedule,
                "cohort": schedule.cohort,
                "page": schedule.page,
                "site_url": settings.SITE_URL,
            },
            topic=Topic.REMINDERS,
            language=schedule.cohort.language,
            attachments=[attachment],
        )
    TrainingDaySchedule.objects.filter(id=schedule.id, sequence=sequence).update(
        invited_sequence=sequence
    )
    return sent


def day_invitations_pending() -> list[int]:
    """Days whose people have not all had the current version: lost or new sends."""
    from django.db.models import F, Q

    return list(
        TrainingDaySchedule.objects.filter(invitations_on=True)
        .filter(Q(invited_sequence=None) | ~Q(invited_sequence=F("sequence")))
        .values_list("id", flat=True)
    )
