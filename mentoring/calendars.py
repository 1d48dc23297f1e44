"""A pair's planned sessions in the two people's calendar feeds (polku.calendars)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.calendars import Event, source

from .models import MentoringSession, PairStatus


@source
def planned_sessions(user) -> list[Event]:
    """Sessions planned from today on, of the person's active pairs: all-day events (a
    session has a date, not a time). One query."""
    sessions = (
        MentoringSession.objects.filter(
            Q(pair__mentor=user) | Q(pair__mentee=user),
            pair__status=PairStatus.ACTIVE,
            held=False,
            held_on__gte=timezone.localdate(),
        )
        .select_related("pair__mentor", "pair__mentee")
        .order_by("held_on")
    )
    events = []
    for session in sessions:
        pair = session.pair
        other = pair.mentee if pair.mentor_id == user.id else pair.mentor
        url = settings.SITE_URL + reverse("mentoring_pair", args=[pair.id])
        events.append(
            Event(
                key=f"mentoring-session-{session.id}",
                summary=_("Mentoring session with %(name)s") % {"name": other},
                starts=session.held_on,
                ends=session.held_on + timedelta(days=1),
                url=url,
                description=url,
                categories=(_("Mentoring"),),
            )
        )
    return events
