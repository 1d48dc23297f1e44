import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from polku.notifications.services import send_once
from polku.people.models import Membership, Role

from .models import ReviewComment

logger = logging.getLogger(__name__)


def _thread_people(comment: ReviewComment) -> list:
    """Everyone on the thread but the author: the answer's owners and earlier commenters."""
    answer = comment.answer
    owners = Membership.objects.filter(cohort_id=answer.cohort_id, role=Role.PARTICIPANT)
    owners = (
        owners.filter(small_group_id=answer.small_group_id)
        if answer.small_group_id
        else owners.filter(id=answer.participant_id)
    )
    people = {m.user for m in owners.select_related("user")}
    people |= {c.author for c in answer.comments.select_related("author")}
    return sorted((p for p in people if p.id != comment.author_id), key=lambda p: p.id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def review_comment_notify(comment_id: int) -> None:
    """Emails the thread about a new message, once per person. No transaction around the
    sending: each person's claim (send_once) commits as their email goes, so a retry after a
    failed send mails only those still waiting."""
    comment = (
        ReviewComment.objects.select_related("answer__cohort", "answer__assignment", "author")
        .filter(id=comment_id, notified_at=None)
        .first()
    )
    if comment is None:
        return
    answer = comment.answer
    link = settings.SITE_URL + reverse("answer_detail", args=[answer.cohort.slug, answer.id])
    for person in _thread_people(comment):
        send_once(
            person,
            f"review-comment:{comment.id}",
            "assignments/email/comment",
            {"comment": comment, "answer": answer, "link": link, "person": person},
            topic=None,
            language=answer.cohort.language,
        )
    ReviewComment.objects.filter(id=comment_id).update(notified_at=timezone.now())
    logger.info("review comment %s notified", comment_id)
