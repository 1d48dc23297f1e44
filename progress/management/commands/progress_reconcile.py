"""Recompute progress from the source rows now, rather than waiting for the night: after a
data import, a restore, or to fill in the chart's history of a cohort that started earlier.

    manage.py progress_reconcile                      every cohort
    manage.py progress_reconcile --cohort SLUG --history-from 2026-08-01
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polku.people.models import Cohort
from progress import rollups


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--cohort", help="the cohort's slug (default: every cohort)")
        parser.add_argument(
            "--history-from",
            type=date.fromisoformat,
            help="also compute daily snapshots from this date (YYYY-MM-DD) to yesterday",
        )

    def handle(self, *args, cohort=None, history_from=None, **options):
        cohorts = Cohort.objects.order_by("id")
        if cohort:
            cohorts = cohorts.filter(slug=cohort)
            if not cohorts.exists():
                raise CommandError(f"No cohort {cohort!r}.")
        yesterday = timezone.localdate() - timedelta(days=1)
        for row in cohorts:
            drift = rollups.cohort_reconcile(row.id)
            line = f"{row.slug}: corrected {drift}"
            if history_from:
                days = rollups.snapshots_backfill(row.id, history_from, yesterday)
                line += f"; {days} daily snapshots"
            self.stdout.write(line)
