"""Keeping progress current: refreshes after events, the calendar's tick, the nightly
reconciliation with its snapshot, and reminders."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from polku.people.models import Cohort

from . import reminders, rollups
from .services import REFRESH_DELAY, REFRESHES, calendar_tick_run

logger = logging.getLogger(__name__)
# Task names stay what they were when progress lived in programmes/: queued messages, the beat
# schedule and other apps' enqueue-by-name keep working across the move.
NAME = "programmes.progress.tasks"


@shared_task(
    name=f"{NAME}.progress_refresh",
    acks_late=True,
    autoretry_for=(DatabaseError, BrokerError, OSError),
    retry_backoff=True,
    retry_backoff_max=30,
    max_retries=8,
)
def progress_refresh(cohort_id: int) -> None:
    """Recomputes the cohort's stale participants. One refresh runs per cohort at a time; a
    refresh that finds another running comes back later rather than being dropped, and one
    that fails leaves the wish standing, so the sweep asks again (polku.coalescing)."""
    if not REFRESHES.claim(cohort_id, timezone.now()):
        if REFRESHES.is_wanted(cohort_id):  # another one is running: come back after it
            progress_refresh.apply_async((cohort_id,), countdown=REFRESH_DELAY)
        return
    with REFRESHES.holding(cohort_id):
        rollups.stale_refresh(cohort_id)


@shared_task(name=f"{NAME}.calendar_tick", acks_late=True)
def calendar_tick() -> None:
    """Training days that began and due dates that passed since the last tick change
    everyone's figures in their cohort (beat, every few minutes)."""
    calendar_tick_run(timezone.now())


@shared_task(name=f"{NAME}.progress_nightly", acks_late=True)
def progress_nightly() -> None:
    """Enqueues the reconciliation of every cohort, one task each (beat, at night)."""
    for cohort_id in Cohort.objects.values_list("id", flat=True):
        cohort_reconcile.delay(cohort_id)


@shared_task(
    name=f"{NAME}.cohort_reconcile",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def cohort_reconcile(cohort_id: int) -> None:
    """Recomputes the cohort from the source rows (logging any drift) and stores the
    snapshot of the day that just ended. Safe to run twice: the second run finds nothing to
    correct and writes the same snapshot."""
    rollups.cohort_reconcile(cohort_id)
    rollups.snapshot_write(cohort_id, timezone.localdate() - timedelta(days=1))


@shared_task(name=f"{NAME}.reminders_send", acks_late=True)
def reminders_send() -> None:
    """Finds the reminders whose time has come and sends each in a task of its own (beat,
    every 15 minutes; each email goes out at most once)."""
    for kind, object_id in reminders.due(timezone.now()):
        reminder_send.delay(kind, object_id)


@shared_task(
    name=f"{NAME}.reminder_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=10 * 60,  # a large cohort's emails over a slow mail server
    time_limit=11 * 60,
)
def reminder_send(kind: str, object_id: int) -> None:
    reminders.send(kind, object_id, timezone.now())


@shared_task(
    name=f"{NAME}.nudges_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def nudges_send(cohort_id: int, membership_ids: list[int], today: str) -> None:
    reminders.nudges_send(cohort_id, membership_ids, today)
