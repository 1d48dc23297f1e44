"""The versions that a person's cached commitments depend on (polku.caching.cached): their
own answers to commitment questions, and the cohort's questions (which day, which assignment
a commitment comes back in). Saves and deletes bump by signal; services.commitment_follow_up
sets the assignment with an update() and bumps by hand."""

from django.db.models.signals import post_delete, post_save

from polku.caching import version_bump


def commitments_version(user_id: int) -> str:
    return f"commitments:{user_id}"


def questions_version(cohort_id: int) -> str:
    return f"live-questions:{cohort_id}"


def _answer_changed(instance, **_kwargs) -> None:
    from .models import LiveAnswer, LiveQuestion

    # Live answers arrive by the hundred a minute: only a commitment's is worth a bump. An
    # answer deleted with its question (or its cohort) does not know its kind: bumped.
    cached = LiveAnswer.question.is_cached(instance)
    if cached and instance.question.kind != LiveQuestion.Kind.COMMITMENT:
        return
    version_bump(commitments_version(instance.user_id))


def _question_changed(instance, **_kwargs) -> None:
    version_bump(questions_version(instance.cohort_id))


def connect() -> None:
    from .models import LiveAnswer, LiveQuestion

    post_save.connect(_answer_changed, sender=LiveAnswer, weak=False)
    post_delete.connect(_answer_changed, sender=LiveAnswer, weak=False)
    post_save.connect(_question_changed, sender=LiveQuestion, weak=False)
    post_delete.connect(_question_changed, sender=LiveQuestion, weak=False)
