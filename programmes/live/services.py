"""Writes of live feedback. An answer is stored whole or not at all, and only while its
question is open."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LiveAnswer, LiveQuestion

OPEN_MAX = 1000
WORD_MAX = 30


class QuestionClosed(Exception):
    pass


def question_create(
    *, cohort, training_day, kind: str, prompt: str, options=None, anonymous: bool = True, user=None
) -> LiveQuestion:
    question = LiveQuestion(
        cohort=cohort,
        training_day=training_day,
        kind=kind,
        prompt=prompt,
        options=options or {},
        anonymous=anonymous,
        created_by=user,
    )
    question.full_clean(exclude=["created_by"])
    question.save()
    return question


def question_open(*, question: LiveQuestion) -> None:
    LiveQuestion.objects.filter(id=question.id).update(
        state=LiveQuestion.State.OPEN, opened_at=timezone.now(), closed_at=None
    )


def question_close(*, question: LiveQuestion) -> None:
    """Closes a question; the final summary is built after commit and includes every answer."""
    from .tasks import summary_build

    LiveQuestion.objects.filter(id=question.id).update(
        state=LiveQuestion.State.CLOSED, closed_at=timezone.now()
    )
    transaction.on_commit(lambda: summary_build.delay(question.id))


def answer_value_clean(question: LiveQuestion, raw) -> object:
    """The answer as stored, or ValidationError with a message for the person."""
    kind, options = question.kind, question.options
    if kind == LiveQuestion.Kind.SCALE:
        low, high = options.get("min", 1), options.get("max", 5)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not low <= value <= high:
            raise ValidationError(
                _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return value
    if kind == LiveQuestion.Kind.SINGLE:
        if raw not in options.get("choices", []):
            raise ValidationError(_("Choose one of the choices."))
        return raw
    if kind == LiveQuestion.Kind.MULTIPLE:
        chosen = [c for c in options.get("choices", []) if c in (raw or [])]
        if not chosen:
            raise ValidationError(_("Choose at least one."))
        return chosen
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(_("Write your answer first."))
    if kind == LiveQuestion.Kind.WORDS:
        words = text.split(" ")
        if len(words) > 3 or any(len(w) > WORD_MAX for w in words):
            raise ValidationError(_("One to three words, please."))
        return text
    if len(text) > OPEN_MAX:
        raise ValidationError(_("At most %(n)s characters.") % {"n": OPEN_MAX})
    return text


@transaction.atomic
def answer_submit(*, question: LiveQuestion, user, raw) -> LiveAnswer:
    """Stores or changes the person's answer while the question is open. Raises QuestionClosed
    when it is not, and ValidationError for a wrong value; either way nothing is stored."""
    value = answer_value_clean(question, raw)
    # The question row is the gate: take the next sequence number only if it is still open.
    if not LiveQuestion.objects.filter(id=question.id, state=LiveQuestion.State.OPEN).update(
        answer_seq=F("answer_seq") + 1
    ):
        raise QuestionClosed
    seq = LiveQuestion.objects.values_list("answer_seq", flat=True).get(id=question.id)
    now = timezone.now()
    answer, _created = LiveAnswer.objects.update_or_create(
        question=question,
        user=user,
        defaults={"value": value, "seq": seq, "updated_at": now},
    )
    summary_request(question_id=question.id)
    return answer


def summary_request(*, question_id: int) -> None:
    """Asks for a summary build after commit, unless one is already wanted: a burst of answers
    makes about one build a second, never one per answer (see tasks.summary_build)."""
    from .tasks import COALESCE_SECONDS, summary_build

    if LiveQuestion.objects.filter(id=question_id, build_wanted=False).update(build_wanted=True):
        transaction.on_commit(
            lambda: summary_build.apply_async([question_id], countdown=COALESCE_SECONDS)
        )
