"""The versions that cached reads of answers depend on (polku.caching.cached).

- owner_version: a participant's own answers, or a small group's shared ones, with their
  coaching threads: what statuses, "new feedback" and the answer form read. Saves and
  deletes of answers and of thread messages bump it by signal; the autosave's
  compare-and-set is an update(), so services.answer_save bumps it itself.
- feedback_seen_version(user_id): how far the person has read their threads."""

from django.db.models.signals import post_delete, post_save

from polku.caching import version_bump


def owner_version(*, participant_id=None, small_group_id=None) -> str:
    return f"answers:g{small_group_id}" if small_group_id else f"answers:p{participant_id}"


def versions_of(membership) -> list[str]:
    """Whose answers a participant reads: their own and their small group's."""
    names = [owner_version(participant_id=membership.id)]
    if membership.small_group_id:
        names.append(owner_version(small_group_id=membership.small_group_id))
    return names


def feedback_seen_version(user_id: int) -> str:
    return f"feedback-seen:{user_id}"


def answer_changed(answer) -> None:
    version_bump(
        owner_version(participant_id=answer.participant_id, small_group_id=answer.small_group_id)
    )


def _answer_saved_or_deleted(instance, **_kwargs) -> None:
    answer_changed(instance)


def _comment_saved_or_deleted(instance, **_kwargs) -> None:
    from .models import Answer, ReviewComment

    if ReviewComment.answer.is_cached(instance):
        answer_changed(instance.answer)
    elif (
        answer := Answer.objects.filter(id=instance.answer_id)
        .only("participant_id", "small_group_id")
        .first()
    ):
        answer_changed(answer)


def connect() -> None:
    from .models import Answer, ReviewComment

    post_save.connect(_answer_saved_or_deleted, sender=Answer, weak=False)
    post_delete.connect(_answer_saved_or_deleted, sender=Answer, weak=False)
    post_save.connect(_comment_saved_or_deleted, sender=ReviewComment, weak=False)
    post_delete.connect(_comment_saved_or_deleted, sender=ReviewComment, weak=False)
