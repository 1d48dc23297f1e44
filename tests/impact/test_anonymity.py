"""The anonymity rule as a property: for random teams, answers (with "can't say" and skipped
items), thresholds and small groups, nothing any audience sees rests on fewer than N answers,
and no difference between two things shown isolates fewer than N."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact import selectors
from impact.models import Rater, TeamResponse
from impact.services import item_keys
from polku.people.models import Membership
from programmes.models import ProgrammePage
from tests.impact.conftest import answers_store, open_items, statements

sheet = st.lists(st.sampled_from([None, 0, 1, 2, 3, 4, 5]), min_size=4, max_size=4)
team = st.lists(sheet, min_size=0, max_size=9)
teams = st.tuples(st.tuples(team, team), st.tuples(team, team), st.tuples(team, team))


def _raw(wave_id, supervisor_id, key, keys_of) -> tuple[int, int]:
    """(answers on the scale, their sum) of one part, from the stored answer sheets."""
    n = total = 0
    for values in TeamResponse.objects.filter(
        wave_id=wave_id, supervisor_id=supervisor_id, rater=Rater.TEAM
    ).values_list("values", flat=True):
        for item_id, value in values.items():
            if keys_of[item_id] == key and value:
                n, total = n + 1, total + value
    return n, total


def _check(cells, n_min, keys_of):
    shown = [cell for cell in cells if cell is not None]
    for cell in shown:
        raw = [_raw(wave_id, sup, key, keys_of) for sup, key, wave_id in cell.parts]
        assert all(n >= n_min for n, _t in raw), "a part below N was shown"
        assert cell.n == sum(n for n, _t in raw) and cell.total == sum(t for _n, t in raw)
    for a in shown:
        for b in shown:
            if a.parts < b.parts:
                assert b.n - a.n >= n_min, "a difference isolates fewer than N"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=teams, n_min=st.integers(3, 6))
def test_no_audience_sees_anything_below_n(world, survey, waves, answers, n_min):
    savepoint = transaction.savepoint()
    try:
        ProgrammePage.objects.filter(id=world.cohort.programme_id).update(anonymity_threshold=n_min)
        world.cohort.programme.refresh_from_db()
        items = statements(survey)[:3] + open_items(survey)[:1]
        supervisors = [world.participant, world.group_mate, world.classmate]
        for supervisor, per_wave in zip(supervisors, answers, strict=True):
            for wave, sheets in zip(waves, per_wave, strict=True):
                answers_store(
                    wave,
                    supervisor,
                    [
                        {
                            item: (f"teksti {v}" if not item.is_statement else v)
                            for item, v in zip(items, values, strict=True)
                            if v is not None and (item.is_statement or v)
                        }
                        for values in sheets
                    ],
                )
        keys_of = item_keys(survey.id)
        cells = []
        for supervisor in supervisors:  # the supervisor and their trainer
            member = Membership.objects.select_related("cohort__programme").get(id=supervisor.id)
            for result in selectors.team_results(member):
                for row in [*result.items, *result.themes]:
                    cells += row.cells
                for wave, comments in zip(result.waves, result.comments, strict=True):
                    if comments:
                        shown_to = TeamResponse.objects.filter(
                            wave=wave, supervisor=supervisor, rater=Rater.TEAM
                        ).count()
                        assert shown_to >= n_min, "open answers shown below N"
        _check(cells, n_min, keys_of)
        audiences = [None, world.participant.small_group_id, world.classmate.small_group_id]
        organiser_cells = []
        for group_id in audiences:  # the organiser's and the export's slices
            for result in selectors.cohort_results(world.cohort, group_id=group_id):
                for row in [*result.items, *result.themes]:
                    organiser_cells += row.cells
        _check(organiser_cells, n_min, keys_of)
    finally:
        transaction.savepoint_rollback(savepoint)
