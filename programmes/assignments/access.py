"""Who may read or change an answer: next to the answers it guards."""

from django.http import Http404

from polku.people.models import Membership, Role

from .models import Answer


def answer_get(membership: Membership, answer_id: int):
    """An answer this person may read, and whether they may change it, or 404.

    Trainers read every submitted answer of their cohort, never a draft. A participant reads
    their own (or their small group's shared answer) and changes it; they read a group mate's
    submitted answer only when the assignment shares answers in the group. Organisers never
    read answers: they see counts.
    """
    answer = (
        Answer.objects.select_related(
            "assignment", "participant__user", "small_group", "submitted_revision"
        )
        .filter(id=answer_id, cohort_id=membership.cohort_id)
        .first()
    )
    if answer is None or membership.role == Role.ORGANISER:
        raise Http404
    if membership.role == Role.TRAINER:
        if answer.submitted_revision_id is None:  # a draft is the participant's own
            raise Http404
        return answer, False
    own = answer.participant_id == membership.id or (
        answer.small_group_id is not None and answer.small_group_id == membership.small_group_id
    )
    if own:
        return answer, True
    group_mate = (
        answer.assignment.answers_shared_in_group
        and answer.participant is not None
        and membership.small_group_id is not None
        and answer.participant.small_group_id == membership.small_group_id
        and answer.submitted_revision_id is not None
    )
    if group_mate:
        return answer, False
    raise Http404
