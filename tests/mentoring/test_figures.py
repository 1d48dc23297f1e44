"""The programme's figures, built in the background: hours against the minimum, check-in
rate, pairs at risk and why, milestones; on the progress dashboard and in the export, never
the pair's content; a fixed number of queries however many pairs."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import CheckIn, MentoringProgramme, Milestone, Pair, PairStatus, Risk
from polku.people.models import User
from tests.conftest import client_for


def _backdate(pair, days: int) -> Pair:
    Pair.objects.filter(id=pair.id).update(created_at=timezone.now() - timedelta(days=days))
    pair.refresh_from_db()
    return pair


def _pairs_add(programme, count: int) -> None:
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"pari{start + n}@example.com", password="!") for n in range(2 * count)]
    )
    Pair.objects.bulk_create(
        [
            Pair(programme=programme, mentor=users[2 * n], mentee=users[2 * n + 1])
            for n in range(count)
        ]
    )


def _build(programme) -> MentoringProgramme:
    assert services.programme_figures_build(programme.id)
    return MentoringProgramme.objects.get(id=programme.id)


def test_a_pair_that_misses_check_ins_and_falls_behind_is_at_risk(world, programme, pair):
    pair = _backdate(pair, 29)
    well = services.pair_create(
        programme=programme, mentor=world.group_mate.user, mentee=world.classmate.user
    )
    well = _backdate(well, 29)
    today = timezone.localdate()
    for days_ago in (28, 21, 14, 7):
        day = today - timedelta(days=days_ago)
        services.session_log(pair=well, by=world.group_mate.user, held_on=day, minutes=60)
        start = services.period_start(well.started_on, programme.weekly_weeks, day)
        for user in (world.group_mate.user, world.classmate.user):
            CheckIn.objects.create(pair=well, user=user, period_start=start, score=4, met=True)
    figures = _build(programme).figures
    pair.refresh_from_db()
    well.refresh_from_db()
    assert Risk.MISSED in pair.risks and Risk.BEHIND in pair.risks
    assert well.risks == [] and float(well.hours) == 4.0
    owed = services.periods_ended(well.started_on, programme.weekly_weeks, today)
    assert well.checkins_done == well.checkins_due == 2 * len(owed) >= 6
    assert figures["active"] == 2 and figures["at_risk"] == 1 and figures["hours"] == 4.0
    assert services.checkin_rate(figures) == 50
    # 4 of the minimum 12 hours: a first session, not yet half.
    assert list(Milestone.objects.filter(pair=well).values_list("kind", flat=True)) == [
        "first_session"
    ]


def test_a_low_score_or_not_getting_along_puts_a_pair_at_risk(world, programme, pair):
    services.checkin_save(pair=pair, by=world.participant.user, score=4, met=True)
    services.checkin_save(
        pair=pair, by=world.classmate.user, score=2, met=False, not_getting_along=True
    )
    _build(programme)
    pair.refresh_from_db()
    assert Risk.LOW in pair.risks and Risk.FRICTION in pair.risks
    assert pair.lowest_recent_score == 2
    services.pair_status_set(pair=pair, status=PairStatus.PAUSED)
    _build(programme)
    pair.refresh_from_db()
    assert pair.risks == []  # a paused pair is the owner's decision, not a risk


def test_milestones_are_recorded_once_with_the_day_reached(world, programme, pair):
    today = timezone.localdate()
    for days_ago in (20, 10, 0):
        services.session_log(
            pair=pair,
            by=world.participant.user,
            held_on=today - timedelta(days=days_ago),
            minutes=240,
        )
    _build(programme)
    _build(programme)
    reached = dict(Milestone.objects.filter(pair=pair).values_list("kind", "reached_on"))
    assert reached == {
        "first_session": today - timedelta(days=20),
        "half": today - timedelta(days=10),
        "minimum": today,
    }


def test_a_burst_of_events_asks_for_one_build(
    world, programme, pair, django_capture_on_commit_callbacks
):
    MentoringProgramme.objects.filter(id=programme.id).update(rebuild_wanted_at=None)
    with django_capture_on_commit_callbacks() as callbacks:
        for _n in range(5):
            services.session_log(
                pair=pair, by=world.participant.user, held_on=timezone.localdate(), minutes=30
            )
    assert len(callbacks) == 1


def test_the_build_takes_a_fixed_number_of_queries(world, programme):
    def queries():
        MentoringProgramme.objects.filter(id=programme.id).update(rebuilding_since=None)
        with CaptureQueriesContext(connection) as captured:
            services.programme_figures_build(programme.id)
        return len(captured)

    _pairs_add(programme, 3)
    small = queries()
    _pairs_add(programme, 60)
    assert queries() == small


def test_the_dashboard_and_the_export_show_figures_never_content(world, programme, pair):
    services.note_add(pair=pair, by=world.participant.user, text="Salainen muistiinpano")
    services.goal_add(pair=pair, by=world.participant.user, text="Salainen tavoite")
    services.session_log(
        pair=pair, by=world.participant.user, held_on=timezone.localdate(), minutes=90
    )
    _build(programme)
    for who in (world.trainer, world.organiser):
        page = client_for(who.user).get(
            reverse("progress_dashboard", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
        )
        text = page.content.decode()
        assert "Somea esihenkilöille" in text and "Pairs at risk" in text
        assert "Salainen" not in text
    export = client_for(world.organiser.user).get(
        reverse("mentoring_export", args=[world.cohort.slug, programme.id, "csv"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Mentor,Mentee,Status,Hours") and ",1.5,12," in rows[1]
    assert "Salainen" not in export.content.decode("utf-8-sig")


def test_the_owners_page_does_not_grow_with_pairs(world, programme):
    url = reverse("mentoring_programme", args=[world.cohort.slug, programme.id])
    client = client_for(world.organiser.user)

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _pairs_add(programme, 3)
    small = queries()
    _pairs_add(programme, 120)
    assert queries() == small
