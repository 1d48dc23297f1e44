"""Who reaches what in mentoring. A pair's space is the two's alone: anyone else, the
programme's owner and the organisation's organisers included, gets the 404 of an address
that does not exist. A programme's figures are for the organisers of its organisation:
those of its cohort, or of any of the organisation's cohorts when it is organisation-wide."""

from django.db.models import Q
from django.http import Http404

from polku.people.models import Membership

from .models import MentoringProgramme, Pair


def pair_get(user, pair_id: int) -> Pair:
    """The pair, if this person is one of its two; else 404."""
    if not user.is_authenticated:
        raise Http404
    pair = (
        Pair.objects.select_related("programme", "programme__cohort", "mentor", "mentee")
        .filter(Q(mentor=user) | Q(mentee=user), id=pair_id)
        .first()
    )
    if pair is None:
        raise Http404
    return pair


def programme_get(membership: Membership, programme_id: int) -> MentoringProgramme:
    """A programme the organiser's cohort sees (its own, or the organisation's); else 404."""
    programme = (
        MentoringProgramme.objects.filter(
            Q(cohort=membership.cohort_id) | Q(cohort=None),
            organisation_id=membership.cohort.organisation_id,
            id=programme_id,
        )
        .select_related("owner", "cohort")
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def upward_programme_get(user, programme_id: int) -> MentoringProgramme:
    """An upward-coaching programme in which this person is one of the supervisors coached
    (services.upward_programmes); else 404."""
    from .services import upward_programmes

    programme = upward_programmes(user).filter(id=programme_id).first()
    if programme is None:
        raise Http404
    return programme
