"""Who may see a live question: next to the questions it guards."""

from django.http import Http404

from polku.people.models import Membership, Role

from .models import LiveQuestion


def live_question_get(membership: Membership, question_id: int):
    """A live question of the person's cohort, or 404. Participants see no hidden question."""
    question = LiveQuestion.objects.filter(id=question_id, cohort_id=membership.cohort_id).first()
    if question is None or (question.hidden and membership.role != Role.TRAINER):
        raise Http404
    return question
