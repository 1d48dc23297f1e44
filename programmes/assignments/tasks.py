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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def assignment_reminders_send(
    cohort_id: int, assignment_id: int, membership_ids: list[int], today: str
) -> None:
    """A trainer's reminder of one assignment to the participants they chose: once a day each
    at most (a second tap, or a retry, sends nothing more), not to those who turned reminders
    off, and not to those who submitted meanwhile."""
    from polku.notifications.services import Topic, reminders_unwanted

    from .models import Answer

    members = list(
        Membership.objects.filter(
            id__in=membership_ids, cohort_id=cohort_id, role=Role.PARTICIPANT
        ).select_related("user", "cohort")
    )
    submitted = set(
        Answer.objects.filter(
            assignment_id=assignment_id, participant_id__in=[m.id for m in members]
        )
        .exclude(submitted_at=None)
        .values_list("participant_id", flat=True)
    )
    if not members:
        return
    cohort = members[0].cohort
    schedule = cohort.assignments.select_related("page").filter(page_id=assignment_id).first()
    if schedule is None:
        return  # the assignment left the cohort's calendar meanwhile
    link = settings.SITE_URL + reverse("cohort_assignment", args=[cohort.slug, assignment_id])
    unwanted = reminders_unwanted([m.user_id for m in members])
    for member in members:
        if member.id in submitted or member.user_id in unwanted or not member.user.is_active:
            continue
        send_once(
            member.user,
            f"assignment-reminder:{assignment_id}:{today}",
            "assignments/email/reminder",
            {"schedule": schedule, "link": link},
            Topic.REMINDERS,
            language=cohort.language,
        )
