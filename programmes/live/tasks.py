"""Summary builds, coalesced and versioned.

- An answer asks for a build only when none is wanted yet (services.summary_request), to run
  a second later: a burst of 300 answers makes about one build a second.
- One build per question at a time (`services.BUILDS`, see polku.coalescing). A second build
  that finds the slot taken is not dropped (that would lose the final update): it queues itself
  again shortly. A build clears the wish as it starts, so an answer that arrives during the
  build asks for another one: the last summary always includes the last answer.
- A build lost on the way (a killed worker, a broker restart, a failed publish) is enqueued
  again by polku.coalescing's sweep; one that meets a database or broker error retries.
- A summary is stored only if it includes newer answers than the stored one
  (services.summary_store)."""

import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from polku.notifications.services import Topic, reminders_unwanted, send_once

from . import services, summaries
from .models import LiveQuestion
from .services import BUILDS

logger = logging.getLogger(__name__)
RETRY_SECONDS = 0.5
# Errors that pass: the database or the broker restarting. Anything else is a bug, and the
# sweep still asks again later.
TRANSIENT = (DatabaseError, BrokerError, OSError)


@worker_process_init.connect
def lemmas_load(**_kwargs):
    """Each worker process reads its word lists as it starts (a second or two for Finnish),
    not in the first summary of a training day."""
    summaries.warm_up()


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=1,
    retry_backoff_max=10,
    retry_jitter=False,
    max_retries=8,
)
def summary_build(question_id: int, force: bool = False) -> None:
    if not BUILDS.claim(question_id, timezone.now()):
        if LiveQuestion.objects.filter(id=question_id).exists():
            summary_build.apply_async([question_id, force], countdown=RETRY_SECONDS)
        return
    with BUILDS.holding(question_id):
        stored = services.summary_store(question_id=question_id, force=force)
    logger.info("summary of question %s built, %s", question_id, "stored" if stored else "older")


@shared_task(name="programmes.live.tasks.commitment_reminders_send", acks_late=True)
def commitment_reminders_send() -> int:
    """Halfway between two training days, a gentle reminder of what each participant
    committed to: once per commitment, not to those who turned reminders off."""
    answers = services.commitment_reminders_due(timezone.now())
    unwanted = reminders_unwanted({answer.user_id for answer in answers})
    sent = 0
    for answer in answers:
        if answer.user_id in unwanted or not answer.user.is_active:
            continue
        question = answer.question
        sent += send_once(
            answer.user,
            f"commitment:{answer.id}",
            "live/email/commitment",
            {
                "commitment": answer.value,
                "day": question.training_day.title,
                "link": settings.SITE_URL + reverse("cohort_path", args=[question.cohort.slug]),
            },
            Topic.REMINDERS,
            language=question.cohort.language,
        )
    return sent
