"""Writes of mentoring: programmes, mentors' profiles, pairs and their sessions. Each refuses
bad input with a message for the person (MentoringRefused), never a 500."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MentoringProgramme, MentoringSession, Pair, PairStatus


class MentoringRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def programme_create(*, owner, **fields) -> MentoringProgramme:
    """A programme, validated as a whole (dates forwards, the cohort of the same
    organisation, a focus area said in words when it is "something else")."""
    programme = MentoringProgramme(owner=owner, **fields)
    try:
        programme.full_clean()
    except ValidationError as error:
        raise MentoringRefused(" ".join(error.messages)) from error
    programme.save()
    return programme


def pair_create(*, programme: MentoringProgramme, mentor, mentee) -> Pair:
    if mentor.id == mentee.id:
        raise MentoringRefused(_("A pair is two people."))
    try:
        with transaction.atomic():
            return Pair.objects.create(programme=programme, mentor=mentor, mentee=mentee)
    except IntegrityError as error:
        raise MentoringRefused(_("These two are a pair in this programme already.")) from error


def session_log(
    *, pair: Pair, by, held_on: date, minutes: int, held: bool = True, casual: bool = False
) -> MentoringSession:
    """A session of the pair, logged by one of the two: planned ahead, or held (never in the
    future), while the programme runs and the pair is not ended."""
    if not pair.has_member(by):
        raise MentoringRefused(_("Only the two of a pair log its sessions."))
    if pair.status == PairStatus.ENDED:
        raise MentoringRefused(_("This pair has ended."))
    if held and held_on > timezone.localdate():
        raise MentoringRefused(_("A session in the future cannot have been held yet."))
    if not 5 <= minutes <= 600:
        raise MentoringRefused(_("A session lasts from 5 minutes to 10 hours."))
    programme = pair.programme
    if not programme.starts_on <= held_on <= programme.ends_on:
        raise MentoringRefused(_("The date is outside the programme's period."))
    return MentoringSession.objects.create(
        pair=pair, held_on=held_on, minutes=minutes, held=held, casual=casual, logged_by=by
    )


def pair_hours(pair: Pair) -> float:
    """Hours of the sessions held (planned ones count once they are held)."""
    minutes = pair.sessions.filter(held=True).aggregate(total=Sum("minutes"))["total"] or 0
    return minutes / 60
