"""Workspace emails: immediate notices and mentions, and the daily digest (beat). Who is told
what is decided in services; these tasks run it off the request, in batches."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)
DIGEST_BATCH = 200  # people per task: a task stays well inside its time limit


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def activity_notify(kind: str, object_id: int) -> None:
    services.activity_notices_send(kind=kind, object_id=object_id)


@shared_task(acks_late=True)
def digests_send() -> None:
    """The daily digest, for those who chose it, in batches."""
    today = timezone.localdate().isoformat()
    user_ids = services.digest_readers()
    for start in range(0, len(user_ids), DIGEST_BATCH):
        digest_batch_send.delay(user_ids[start : start + DIGEST_BATCH], today)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def digest_batch_send(user_ids: list[int], today: str) -> None:
    services.digests_send_to(user_ids=user_ids, today=today)
    logger.info("digests done for %s", today)
