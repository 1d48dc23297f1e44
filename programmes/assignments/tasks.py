import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

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
    """Emails the thread about a new message, once: a retry after success does nothing."""
    with transaction.atomic():
        comment = (
            ReviewComment.objects.select_for_update(of=("self",))
            .select_related("answer__cohort", "answer__assignment", "author")
            .filter(id=comment_id, notified_at=None)
            .first()
        )
        if comment is None:
            return
        answer = comment.answer
        link = settings.SITE_URL + reverse("answer_detail", args=[answer.cohort.slug, answer.id])
        for person in _thread_people(comment):
            with translation.override(person.language or answer.cohort.language):
                context = {"comment": comment, "answer": answer, "link": link, "person": person}
                subject = render_to_string("assignments/email/comment_subject.txt", context).strip()
                body = render_to_string("assignments/email/comment.txt", context)
            send_mail(subject, body, None, [person.email])
        comment.notified_at = timezone.now()
        comment.save(update_fields=["notified_at"])
    logger.info("review comment %s notified", comment_id)
