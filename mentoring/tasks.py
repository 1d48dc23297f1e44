"""Background work of mentoring: each programme's figures (coalesced, like the other
rollups), the upward-coaching invitations (sent once; one that was due and never went is sent
again by the beat), the check-in reminders (at most once a week each), and the organisers'
messages to a pair."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from polku.notifications.services import Topic, email_build, reminders_unwanted, send_once
from polku.people.models import User

from . import services
from .models import CoachInvitation, Pair

logger = logging.getLogger(__name__)
SEND_AGAIN_AFTER = timedelta(minutes=2)  # a due invitation not sent by then was lost


@shared_task(
    name="mentoring.tasks.programme_figures_build",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def programme_figures_build(programme_id: int) -> None:
    services.programme_figures_build(programme_id)


@shared_task(name="mentoring.tasks.figures_refresh", acks_late=True)
def figures_refresh() -> int:
    return services.figures_refresh()


@shared_task(
    name="mentoring.tasks.coach_invitation_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def coach_invitation_send(invitation_id: int) -> bool:
    """Emails the team member their link, once: the invitation is claimed (sent_at) before
    the email goes; a failed send gives the claim back for the retry."""
    now = timezone.now()
    claimed = CoachInvitation.objects.filter(
        id=invitation_id, due_at__isnull=False, sent_at=None, accepted_at=None
    ).update(sent_at=now)
    if not claimed:
        return False
    invitation = CoachInvitation.objects.select_related("programme__cohort", "supervisor").get(
        id=invitation_id
    )
    supervisor = invitation.supervisor
    cohort = invitation.programme.cohort
    language = supervisor.language or (cohort.language if cohort else "") or settings.LANGUAGE_CODE
    context = {
        "name": invitation.name,
        "supervisor": supervisor.get_full_name() or supervisor.email,
        "programme": invitation.programme,
        "link": services.invitation_link(invitation),
        "days": services.INVITATION_DAYS,
    }
    try:
        with translation.override(language):
            subject = render_to_string("mentoring/email/invitation_subject.txt", context).strip()
            body = render_to_string("mentoring/email/invitation.txt", context)
        email_build(to=invitation.email, subject=subject, body=body, language=language).send()
    except Exception:
        CoachInvitation.objects.filter(id=invitation_id).update(sent_at=None)
        raise
    return True


@shared_task(name="mentoring.tasks.mentoring_tick", acks_late=True)
def mentoring_tick() -> int:
    """Every few minutes: invitations that were due and never sent (a lost task) go again."""
    lost = CoachInvitation.objects.filter(
        due_at__lt=timezone.now() - SEND_AGAIN_AFTER, sent_at=None, accepted_at=None
    ).values_list("id", flat=True)
    for invitation_id in lost:
        coach_invitation_send.delay(invitation_id)
    return len(lost)


@shared_task(name="mentoring.tasks.checkin_reminders_send", acks_late=True)
def checkin_reminders_send() -> int:
    """A reminder to everyone whose check-in for the current period is unanswered: at most
    one a week each (however many pairs), not to those who turned reminders off."""
    due = services.checkin_reminder_recipients()
    unwanted = reminders_unwanted([user.id for user in due])
    week = timezone.localdate().isocalendar()
    sent = 0
    for user, pairs in due.items():
        if user.id in unwanted:
            continue
        sent += send_once(
            user,
            f"mentoring-checkin:{week.year}-{week.week}",
            "mentoring/email/checkin",
            {
                "pairs": [
                    (
                        pair.other(user).get_full_name() or pair.other(user).email,
                        settings.SITE_URL + reverse("mentoring_check_in", args=[pair.id]),
                    )
                    for pair in pairs
                ]
            },
            Topic.REMINDERS,
        )
    return sent


@shared_task(
    name="mentoring.tasks.pair_message_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def pair_message_send(pair_id: int, user_ids: list, text: str, by_id: int, key: str) -> int:
    pair = Pair.objects.select_related("programme").filter(id=pair_id).first()
    sender = User.objects.filter(id=by_id).first()
    if pair is None:
        return 0
    sent = 0
    for user in User.objects.filter(id__in=user_ids):
        sent += send_once(
            user,
            f"mentoring-message:{key}",
            "mentoring/email/message",
            {
                "text": text,
                "programme": pair.programme,
                "sender": (sender.get_full_name() or sender.email) if sender else "",
                "link": settings.SITE_URL + reverse("mentoring_pair", args=[pair.id]),
            },
            None,
        )
    return sent
