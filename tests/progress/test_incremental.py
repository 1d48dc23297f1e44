"""Rollups are derived data: after any sequence of events, what the incremental refreshes
stored equals a full recompute from the source rows."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings

from progress import rollups
from progress.models import ParticipantProgress

from . import events as ev


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=ev.events)
def test_incremental_updates_equal_a_full_recompute(
    world, django_capture_on_commit_callbacks, sequence
):
    savepoint = transaction.savepoint()
    try:
        things = ev.setup(world)
        rollups.cohort_reconcile(world.cohort.id)
        for kind, who, which in sequence:
            # Each event commits on its own, and its refresh runs after the commit.
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                ev.run(world, things, kind, who, which)
        assert not ParticipantProgress.objects.filter(stale=True).exists()
        incremental = ev.stored(world.cohort)
        drift = rollups.cohort_reconcile(world.cohort.id)
        assert ev.stored(world.cohort) == incremental
        assert drift == {"participants": 0, "groups": 0, "cohort": False, "waiting": 0}
    finally:
        transaction.savepoint_rollback(savepoint)
