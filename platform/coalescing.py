"""One background rebuild at a time per row, however many events ask for it.

Live summaries (per question) and progress refreshes (per cohort) both work this way, through
two columns of the row the rebuild is for, kept in the database so that web processes and
workers agree on SQLite and PostgreSQL alike:

- `wanted`: an event asked for a rebuild. `ask` sets it only if it was false, and says so: the
  caller enqueues the one task (after commit). A burst of events makes one task.
- `since`: a rebuild is running since then. `claim` takes it only when it is free, or was left
  by a worker that died (older than `stale_after`), and clears `wanted` at the same time, so an
  event during the rebuild asks for the next one. `release` gives it back.

A task that cannot claim must come back later rather than be dropped: that would lose the
last event's change."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Coalescing:
    model: type[models.Model]
    wanted: str
    since: str
    stale_after: timedelta

    def ask(self, pk) -> bool:
        """Marks a rebuild as wanted; True when this call did (so the caller enqueues it)."""
        rows = self.model.objects.filter(pk=pk, **{self.wanted: False})
        return bool(rows.update(**{self.wanted: True}))

    def is_wanted(self, pk) -> bool:
        return self.model.objects.filter(pk=pk, **{self.wanted: True}).exists()

    def claim(self, pk, now: datetime) -> bool:
        free = Q(**{f"{self.since}__isnull": True}) | Q(
            **{f"{self.since}__lt": now - self.stale_after}
        )
        rows = self.model.objects.filter(free, pk=pk)
        return bool(rows.update(**{self.since: now, self.wanted: False}))

    def release(self, pk) -> None:
        self.model.objects.filter(pk=pk).update(**{self.since: None})
