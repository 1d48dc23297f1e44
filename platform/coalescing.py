"""One background rebuild at a time per row, however many events ask for it, and none lost.

Live summaries (per question) and progress refreshes (per cohort) both work this way, through
two columns of the row the rebuild is for, kept in the database so that web processes and
workers agree on SQLite and PostgreSQL alike:

- `wanted` (a time): an event asked for a rebuild then. `request` sets it only if it was
  empty and then enqueues the one task after commit: a burst of events makes one task.
- `since` (a time): a rebuild is running since then. `claim` takes it only when it is free, or
  was left by a worker that died (older than `stale_after`), and empties `wanted` at the same
  time, so an event during the rebuild asks for the next one. `release` gives it back.

A task can be lost: a worker killed while it held the message, a broker restarted without
its data, a publish that failed after the commit, a task that failed before it claimed. So
nothing waits on the task alone: every few seconds `coalesced_sweep` (beat) finds the wishes
older than `lost_after` with no rebuild running, and the rebuilds running longer than
`stale_after`, and enqueues them again. A duplicate is harmless: one claims, the other finds
nothing to do or comes back later."""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app, shared_task
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

REGISTRY: dict[str, "Coalescing"] = {}  # task name -> its coalescing, for the sweep
SWEEP_SECONDS = 5  # beat runs the sweep this often


def task_get(name: str):
    """The task registered under `name`. A web process has not imported the apps' tasks
    modules (a worker does at start); Celery's loader imports them the first time."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


@dataclass(frozen=True)
class Publish:
    """Sends a task by name. A broker that is down is logged, not raised: what was stored
    stays stored and the person gets no error; the sweep enqueues the work again."""

    task: str
    args: list
    countdown: float | None = None

    def __call__(self) -> None:
        try:
            task_get(self.task).apply_async(self.args, countdown=self.countdown)
        except (BrokerError, OSError):
            logger.exception("could not enqueue %s%s; the sweep will retry", self.task, self.args)


def enqueue_after_commit(task: str, args: list, countdown: float | None = None) -> None:
    """Enqueues the named task once the transaction commits (see Publish)."""
    transaction.on_commit(Publish(task, args, countdown))


@dataclass(frozen=True)
class Coalescing:
    model: type[models.Model]
    wanted: str
    since: str
    task: str  # the rebuild's task name; it takes the row's pk
    countdown: float  # events within this many seconds share one rebuild
    stale_after: timedelta  # a rebuild running longer than this was left by a dead worker
    lost_after: timedelta  # a wish older than this with no rebuild running was lost

    def __post_init__(self):
        REGISTRY[self.task] = self

    def request(self, pk) -> None:
        """Asks for a rebuild of the row; enqueues one after commit unless one is asked for
        already (it will read this change too)."""
        if self.ask(pk):
            enqueue_after_commit(self.task, [pk], countdown=self.countdown)

    def ask(self, pk, now: datetime | None = None) -> bool:
        """Marks a rebuild as wanted; True when this call did."""
        rows = self.model.objects.filter(pk=pk, **{f"{self.wanted}__isnull": True})
        return bool(rows.update(**{self.wanted: now or timezone.now()}))

    def is_wanted(self, pk) -> bool:
        return self.model.objects.filter(pk=pk, **{f"{self.wanted}__isnull": False}).exists()

    def _free(self, now: datetime) -> Q:
        return Q(**{f"{self.since}__isnull": True}) | Q(
            **{f"{self.since}__lt": now - self.stale_after}
        )

    def claim(self, pk, now: datetime) -> bool:
        rows = self.model.objects.filter(self._free(now), pk=pk)
        return bool(rows.update(**{self.since: now, self.wanted: None}))

    def keep(self, pk) -> None:
        """A long rebuild (a video) says it is alive, so it is not taken for dead."""
        self.model.objects.filter(pk=pk).update(**{self.since: timezone.now()})

    def release(self, pk) -> None:
        self.model.objects.filter(pk=pk).update(**{self.since: None})

    @contextmanager
    def holding(self, pk):
        """Runs the claimed rebuild and gives the slot back after it. A rebuild that fails
        asks again first, so its retry, or else the sweep, comes back for the work."""
        try:
            yield
        except Exception:
            self.ask(pk)
            raise
        finally:
            self.release(pk)

    def lost(self, now: datetime) -> list:
        """The rows whose rebuild was lost: wanted for longer than `lost_after` with none
        running, or running for longer than `stale_after`. They are marked wanted now, so the
        next sweep waits `lost_after` again before it asks once more."""
        waiting = Q(**{f"{self.wanted}__lt": now - self.lost_after}) & self._free(now)
        died = Q(**{f"{self.since}__lt": now - self.stale_after})
        with transaction.atomic():
            pks = list(
                self.model.objects.select_for_update()
                .filter(waiting | died)
                .values_list("pk", flat=True)
            )
            self.model.objects.filter(pk__in=pks).update(**{self.wanted: now})
        return pks


@shared_task(acks_late=True, ignore_result=True)
def coalesced_sweep() -> int:
    """Enqueues again every rebuild that was asked for and lost (beat, every few seconds).
    Cheap when nothing is lost: one query per kind of rebuild."""
    now = timezone.now()
    enqueued = 0
    for coalescing in REGISTRY.values():
        for pk in coalescing.lost(now):
            Publish(coalescing.task, [pk])()
            enqueued += 1
    if enqueued:
        logger.warning("sweep enqueued %s lost rebuilds again", enqueued)
    return enqueued
