"""Background work of impact surveys: each team's figures, the team members' personal links
(sent when a wave opens and when someone joins a team during one), a reminder before a wave
closes, and the supervisors' weekly self-evaluation reminder."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from polku.notifications.services import Topic, email_build, reminders_unwanted, send_once
from polku.people.models import Membership

from . import services
from .anonymity import threshold
from .models import ReflectionHabit, SurveyWave, TeamInvitation, WeeklyReflection

logger = logging.getLogger(__name__)
REMIND_BEFORE_CLOSE = timedelta(days=3)
REMIND_AFTER_SENT = timedelta(days=1)  # never a reminder hard on the heels of the link


@shared_task(
    name="impact.tasks.team_figures_build",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def team_figures_build(figures_id: int) -> None:
    services.team_figures_build(figures_id)


@shared_task(name="impact.tasks.wave_figures_build", acks_late=True, time_limit=15 * 60)
def wave_figures_build(wave_id: int) -> None:
    services.wave_figures_build(wave_id)


def _mail(invitation: TeamInvitation, template: str) -> None:
    wave = invitation.wave
    supervisor = invitation.member.supervisor.user
    link = settings.SITE_URL + reverse("team_survey", args=[services.invitation_token(invitation)])
    context = {
        "supervisor": supervisor.get_full_name() or supervisor.email,
        "closes": timezone.localtime(wave.closes_at),
        "link": link,
        "threshold": threshold(wave.cohort.programme),
    }
    language = wave.cohort.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"impact/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"impact/email/{template}.txt", context)
    email_build(to=invitation.member.email, subject=subject, body=body, language=language).send()


def _claimed(queryset, field: str) -> list[TeamInvitation]:
    """Each invitation is claimed (its time set) before its email goes, so two workers never
    mail the same person; a failed send gives the claim back for the retry."""
    now = timezone.now()
    claimed = []
    for invitation in queryset.select_related(
        "wave__cohort__programme", "member__supervisor__user"
    ):
        if TeamInvitation.objects.filter(id=invitation.id, **{field: None}).update(**{field: now}):
            claimed.append(invitation)
    return claimed


@shared_task(
    name="impact.tasks.team_invitations_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def team_invitations_send(wave_id: int) -> int:
    """Mails every personal link of the wave not yet sent (a retry sends only those left)."""
    wave = SurveyWave.objects.filter(id=wave_id).first()
    if wave is None or wave.has_closed():
        return 0
    sent = 0
    for invitation in _claimed(wave.invitations.filter(sent_at=None), "sent_at"):
        try:
            _mail(invitation, "invitation")
        except Exception:
            TeamInvitation.objects.filter(id=invitation.id).update(sent_at=None)
            raise
        sent += 1
    return sent


@shared_task(name="impact.tasks.waves_tick", acks_late=True)
def waves_tick() -> None:
    """Beat, every 15 minutes: a wave that opened sends its links, and links whose sending was
    lost go again; a wave closing within three days reminds who has not answered, once (and
    not within a day of their link)."""
    now = timezone.now()
    for wave in SurveyWave.objects.filter(
        opens_at__lte=now, closes_at__gt=now, invitations_sent_at=None
    ):
        services.wave_invitations_create(wave=wave)
        SurveyWave.objects.filter(id=wave.id).update(invitations_sent_at=now)
    # Links whose sending was lost (a worker killed, a broker restarted) go at the next tick.
    unsent = TeamInvitation.objects.filter(
        sent_at=None, wave__opens_at__lte=now, wave__closes_at__gt=now
    )
    for wave_id in unsent.values_list("wave_id", flat=True).distinct():
        team_invitations_send.delay(wave_id)
    for wave in SurveyWave.objects.filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE_CLOSE
    ):
        waiting = wave.invitations.filter(
            used=False, reminded_at=None, sent_at__lte=now - REMIND_AFTER_SENT
        )
        for invitation in _claimed(waiting, "reminded_at"):
            try:
                _mail(invitation, "reminder")
            except OSError:
                logger.warning("team reminder %s not sent; next tick", invitation.id)
                TeamInvitation.objects.filter(id=invitation.id).update(reminded_at=None)


@shared_task(name="impact.tasks.reflection_reminders_send", acks_late=True)
def reflection_reminders_send() -> int:
    """Friday afternoon: a gentle reminder of the weekly self-evaluation to supervisors who
    have not written this week's and have not switched the reminder off. Once a week each."""
    today = timezone.localdate()
    week = services.week_of(today)
    now = timezone.now()
    members = list(
        Membership.objects.joined_participants()
        .filter(cohort__survey_waves__opens_at__lte=now, user__is_active=True)
        .exclude(id__in=ReflectionHabit.objects.filter(weekly_reminder=False).values("membership"))
        .exclude(id__in=WeeklyReflection.objects.filter(week=week).values("membership"))
        .select_related("user", "cohort")
        .distinct()
    )
    unwanted = reminders_unwanted([m.user_id for m in members])
    sent = 0
    for member in members:
        if member.user_id in unwanted:
            continue
        sent += send_once(
            member.user,
            f"reflection:{member.id}:{week.isoformat()}",
            "impact/email/reflection",
            {
                "link": settings.SITE_URL + reverse("reflections", args=[member.cohort.slug]),
            },
            Topic.REMINDERS,
            language=member.cohort.language,
        )
    return sent
