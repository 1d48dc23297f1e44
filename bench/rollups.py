"""Progress rollups at scale, against PostgreSQL: for each scale (default 1 cohort x 500
participants, then 50 cohorts x 10,000 participants) it seeds the people, a half-year of
attendance and answers, and prints

- the nightly reconciliation's wall time (every cohort recomputed from the source rows, one
  cohort after another, as one Celery worker would) and this process's peak memory;
- the cost of one incremental update (a trainer's attendance mark for one person, then the
  refresh of that person and their group and cohort totals), p50 of many, against a full
  recompute of the same cohort: the first should not grow with the cohort, the second does;
- the organiser's dashboard, served by gunicorn (DEBUG off), as a ratio to a trivial
  authenticated page in the same run, and its query count.

    .venv/bin/python bench/rollups.py
    .venv/bin/python bench/rollups.py --scales 1x500 --requests 50

It drops and recreates the database named by --database (default polku_bench)."""

import argparse
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Browser, _queries, _time, prepare, served, service_arguments  # noqa: E402


def _activity(now):
    """What the cohorts did so far: every held day's attendance (one in ten absent, half of
    those followed up), and answers to every due assignment (85 % submitted, one in ten of
    those late, half reviewed). Bulk inserts, like the seed."""
    import random

    from django.db import transaction

    from polku.people.models import Membership, Role
    from programmes.assignments.models import Answer
    from programmes.models import AnswerScope, AssignmentSchedule, TrainingDaySchedule
    from progress.models import Attendance

    chance = random.Random(2026)
    members = {}
    for membership_id, cohort_id in Membership.objects.filter(role=Role.PARTICIPANT).values_list(
        "id", "cohort_id"
    ):
        members.setdefault(cohort_id, []).append(membership_id)
    with transaction.atomic():
        marks = []
        for day in TrainingDaySchedule.objects.filter(starts_at__lte=now):
            for membership_id in members.get(day.cohort_id, []):
                absent = chance.random() < 0.1
                marks.append(
                    Attendance(
                        cohort_id=day.cohort_id,
                        training_day_id=day.page_id,
                        participant_id=membership_id,
                        status="absent" if absent else "present",
                        followed_up=absent and chance.random() < 0.5,
                        marked_at=day.starts_at,
                    )
                )
        Attendance.objects.bulk_create(marks, batch_size=5000)
        answers = []
        for schedule in AssignmentSchedule.objects.filter(due_at__lte=now).select_related("page"):
            if schedule.page.answer_scope == AnswerScope.SMALL_GROUP:
                continue
            for membership_id in members.get(schedule.cohort_id, []):
                if chance.random() < 0.15:
                    continue
                late = chance.random() < 0.1
                submitted = schedule.due_at + (timedelta(days=1) if late else -timedelta(days=1))
                answers.append(
                    Answer(
                        cohort_id=schedule.cohort_id,
                        assignment_id=schedule.page_id,
                        participant_id=membership_id,
                        submitted_at=submitted,
                        is_late=late,
                        reviewed_at=submitted + timedelta(days=2)
                        if chance.random() < 0.5
                        else None,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
    return len(marks), len(answers)


def _incremental(cohort, membership, day, trainer, samples):
    """One event and its refresh, timed from the mark to the stored totals."""
    from django.db import transaction

    from progress import rollups
    from progress.services import attendance_mark

    marks, refreshes = [], []
    for n in range(samples):
        mark = ("absent", f"reason {n}", False) if n % 2 == 0 else ("present", "", False)
        started = time.perf_counter()
        with transaction.atomic():
            attendance_mark(
                cohort=cohort, training_day=day, marks={membership.id: mark}, trainer=trainer
            )
        marked = time.perf_counter()
        refreshed = rollups.stale_refresh(cohort.id)
        refreshes.append(time.perf_counter() - marked)
        marks.append(marked - started)
        assert refreshed == 1, refreshed
    return statistics.median(marks), statistics.median(refreshes)


def _incremental_queries(cohort, membership, day, trainer) -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from progress import rollups
    from progress.services import attendance_mark

    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            attendance_mark(
                cohort=cohort,
                training_day=day,
                marks={membership.id: ("absent", "counted", True)},
                trainer=trainer,
            )
        rollups.stale_refresh(cohort.id)
    return len(queries)


def scale(label, participants, cohorts, args):
    if "django" in sys.modules:  # a later scale: let go of the database about to be dropped
        from django.db import connections

        connections.close_all()
    prepare(args.postgres, args.database, args.broker)
    from django.utils import timezone

    from bench.seed import analyze, seed
    from polku.people.models import Cohort, Membership, Role, User
    from programmes.models import TrainingDaySchedule
    from progress import rollups

    started = time.perf_counter()
    seeded = seed(participants=participants, cohorts=cohorts)
    marks, answers = _activity(timezone.now())
    analyze()
    print(
        f"\n== {label}: seeded {participants} participants in {cohorts} cohorts, "
        f"{marks} attendance marks, {answers} answers in {time.perf_counter() - started:.1f} s"
    )

    def nightly():
        started = time.perf_counter()
        for cohort_id in Cohort.objects.order_by("id").values_list("id", flat=True):
            rollups.cohort_reconcile(cohort_id)
            rollups.snapshot_write(cohort_id, timezone.localdate())
        return time.perf_counter() - started

    first = nightly()  # the activity just seeded changes every row
    reconcile = nightly()  # a usual night: everything read, only what differs written
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"nightly reconciliation of {participants} participants: {reconcile:.1f} s\n"
        f"  (the first one after the seeded activity, when every row changes: {first:.1f} s;"
        f" peak memory of this process {peak:.0f} MB)"
    )

    cohort = Cohort.objects.get(slug=seeded["cohort"])
    membership = Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT).first()
    day = TrainingDaySchedule.objects.filter(cohort=cohort).first().page
    trainer = User.objects.get(email=seeded["trainer"])
    mark, one = _incremental(cohort, membership, day, trainer, args.samples)
    queries = _incremental_queries(cohort, membership, day, trainer)
    full_times = []
    for _ in range(5):
        started = time.perf_counter()
        rollups.cohort_reconcile(cohort.id)
        full_times.append(time.perf_counter() - started)
    full = statistics.median(full_times)
    size = Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT).count()
    print(
        f"one incremental update: the refresh {one * 1000:.1f} ms (the trainer's mark before "
        f"it {mark * 1000:.1f} ms; both {queries} queries)\n"
        f"full recompute of its cohort ({size} participants, reads everything, writes what "
        f"differs): {full * 1000:.1f} ms = {full / one:.0f}x the refresh"
    )

    with served(workers=2):
        organiser = Browser()
        organiser.login(seeded["organiser"], seeded["password"])
        base50, base95 = _time(organiser, "/ping/", args.requests)
        path = f"/c/{cohort.slug}/progress/"
        p50, p95 = _time(organiser, path, args.requests)
        print(
            f"dashboard (organiser): p50 {p50 * 1000:.1f} ms = {p50 / base50:.1f}x /ping/, "
            f"p95 {p95 * 1000:.1f} ms = {p95 / base95:.1f}x, "
            f"{_queries(seeded['organiser'], path)} queries"
        )
    return {"reconcile": reconcile, "incremental": one, "full": full}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="1x500,50x10000", help="cohorts x participants")
    parser.add_argument("--requests", type=int, default=200, help="timed dashboard requests")
    parser.add_argument("--samples", type=int, default=50, help="timed incremental updates")
    service_arguments(parser, database="polku_bench", broker="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    results = {}
    for item in args.scales.split(","):
        cohorts, participants = (int(n) for n in item.split("x"))
        results[item] = scale(item, participants, cohorts, args)
    if len(results) > 1:
        first, last = results.values()
        print(
            f"\nincremental update, largest scale against smallest: "
            f"{last['incremental'] / first['incremental']:.2f}x"
        )


if __name__ == "__main__":
    main()
