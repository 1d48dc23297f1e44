"""Mentoring at scale: an organisation-wide programme of 2,000 pairs, each with a year of
weekly check-ins from both sides and a session every other week (about 200,000 check-ins
and 50,000 sessions). Prints p50 and p95 of

- a pair's page (the mentee's phone) as a ratio to /ping/ (target 10x),
- logging a session (its POST) as a ratio to a trivial POST (target 10x),
- the owner's programme page as a ratio to /ping/ (target 15x),

with the query counts of the two pages at a tenth of the pairs and at all of them (they
must not grow), and the time of one rebuild of the programme's figures.

    .venv/bin/python bench/mentoring.py --pairs 2000
    .venv/bin/python bench/mentoring.py --pairs 40 --requests 5   # CI smoke

It drops and recreates the database named by --database."""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.impact import _p, _trivial_post_times  # noqa: E402
from bench.run import Browser, _queries, _time, prepare, served, service_arguments  # noqa: E402

WEEKS = 52


def _programme(owner_email: str):
    from django.utils import timezone

    from mentoring import services
    from mentoring.models import FocusArea, ProgrammeKind
    from polku.people.models import Organisation, User

    today = timezone.localdate()
    return services.programme_create(
        owner=User.objects.get(email=owner_email),
        organisation=Organisation.objects.get(slug="bench-oy"),
        cohort=None,
        name="Bench mentoring",
        kind=ProgrammeKind.REVERSE,
        focus_area=FocusArea.SOCIAL_MEDIA,
        starts_on=today - timedelta(days=7 * WEEKS + 3),
        ends_on=today + timedelta(days=30),
        minimum_hours=12,
        weekly_weeks=WEEKS,
    )


def _pairs_add(programme, mentees: list[int], start: int) -> None:
    """A mentor (a junior colleague with a profile) for each mentee, and a year of history."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bench.seed import PASSWORD, analyze
    from mentoring import services
    from mentoring.models import CheckIn, MentoringSession, MentorProfile, Pair
    from polku.people.models import User

    password = make_password(PASSWORD)
    began = timezone.now() - timedelta(days=7 * WEEKS)
    with transaction.atomic():
        mentors = User.objects.bulk_create(
            [
                User(email=f"m{start + n}@bench.example", password=password, first_name="Mentor")
                for n in range(len(mentees))
            ]
        )
        MentorProfile.objects.bulk_create(
            [
                MentorProfile(
                    user=mentor, organisation_id=programme.organisation_id, can_help_with="some"
                )
                for mentor in mentors
            ]
        )
        pairs = Pair.objects.bulk_create(
            [
                Pair(programme=programme, mentor=mentor, mentee_id=mentee, created_at=began)
                for mentor, mentee in zip(mentors, mentees, strict=True)
            ]
        )
        sessions, checkins = [], []
        for pair in pairs:
            pair.programme = programme
            for week in range(WEEKS - 1):
                day = timezone.localdate(began) + timedelta(days=7 * week + 1)
                if week % 2 == 0:
                    sessions.append(
                        MentoringSession(pair=pair, held_on=day, minutes=45, logged_by=pair.mentor)
                    )
                period = services.period_start(pair.started_on, WEEKS, day)
                for user_id in (pair.mentor_id, pair.mentee_id):
                    checkins.append(
                        CheckIn(pair=pair, user_id=user_id, period_start=period, score=4, met=True)
                    )
            if len(checkins) > 20_000:
                CheckIn.objects.bulk_create(checkins, batch_size=5000, ignore_conflicts=True)
                MentoringSession.objects.bulk_create(sessions, batch_size=5000)
                sessions, checkins = [], []
        CheckIn.objects.bulk_create(checkins, batch_size=5000, ignore_conflicts=True)
        MentoringSession.objects.bulk_create(sessions, batch_size=5000)
    analyze()


def _figures_build(programme) -> float:
    from mentoring import services
    from mentoring.models import MentoringProgramme

    MentoringProgramme.objects.filter(id=programme.id).update(rebuilding_since=None)
    started = time.perf_counter()
    assert services.programme_figures_build(programme.id)
    return time.perf_counter() - started


def _log_times(browser, pair_id: int, requests: int) -> list[float]:
    from django.utils import timezone

    times, path = [], f"/mentoring/pairs/{pair_id}/sessions/"
    for _n in range(requests):
        fields = {
            "csrfmiddlewaretoken": browser.csrf(),
            "held_on": timezone.localdate().isoformat(),
            "minutes": "30",
            "held": "held",
        }
        status, _content, elapsed = browser.request("POST", path, urlencode(fields))
        if status != 302:
            raise SystemExit(f"logging a session: HTTP {status}")
        times.append(elapsed)
    return sorted(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    service_arguments(parser, database="polku_bench_mentoring", broker="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    prepare(args.postgres, args.database, args.broker)
    from bench.seed import seed
    from mentoring.models import CheckIn, MentoringSession, Pair
    from polku.people.models import Membership

    started = time.perf_counter()
    seeded = seed(participants=args.pairs, cohorts=max(1, args.pairs // 200))
    programme = _programme(seeded["organiser"])
    mentees = list(
        Membership.objects.joined_participants()
        .order_by("user__email")
        .values_list("user_id", flat=True)
        .distinct()[: args.pairs]
    )
    bench_mentee = Membership.objects.get(user__email=seeded["participant"]).user_id
    mentees.remove(bench_mentee)
    mentees.insert(0, bench_mentee)
    tenth = max(2, len(mentees) // 10)
    _pairs_add(programme, mentees[:tenth], start=0)
    _figures_build(programme)
    pair = Pair.objects.get(mentee_id=bench_mentee)
    pair_path = f"/mentoring/pairs/{pair.id}/"
    owner_path = f"/c/{seeded['cohort']}/mentoring/{programme.id}/"
    small = (_queries(seeded["participant"], pair_path), _queries(seeded["organiser"], owner_path))
    _pairs_add(programme, mentees[tenth:], start=tenth)
    build_s = _figures_build(programme)
    print(
        f"seeded {Pair.objects.count()} pairs with {CheckIn.objects.count()} check-ins and "
        f"{MentoringSession.objects.count()} sessions in {time.perf_counter() - started:.0f} s"
    )
    with served(workers=2):
        mentee, owner = Browser(), Browser()
        mentee.login(seeded["participant"], seeded["password"])
        owner.login(seeded["organiser"], seeded["password"])
        ping50, ping95 = _time(mentee, "/ping/", args.requests)
        post = _trivial_post_times(mentee, args.requests)
        pair50, pair95 = _time(mentee, pair_path, args.requests)
        log = _log_times(mentee, pair.id, args.requests)
        owner50, owner95 = _time(owner, owner_path, args.requests)
    large = (_queries(seeded["participant"], pair_path), _queries(seeded["organiser"], owner_path))
    print(f"\n{'':44} {'p50 ms':>8} {'p95 ms':>8} {'p50 x':>7} {'p95 x':>7} {'queries':>10}")
    print(f"{'baseline: /ping/':44} {ping50 * 1000:8.1f} {ping95 * 1000:8.1f}")
    p50, p95 = statistics.median(post), _p(post, 0.95)
    print(f"{'baseline: a trivial POST (/ping/)':44} {p50 * 1000:8.1f} {p95 * 1000:8.1f}")
    print(
        f"{'a pair page (the mentee)':44} {pair50 * 1000:8.1f} {pair95 * 1000:8.1f} "
        f"{pair50 / ping50:7.1f} {pair95 / ping95:7.1f} {small[0]:>4} -> {large[0]:<4}"
        "(target 10x)"
    )
    l50, l95 = statistics.median(log), _p(log, 0.95)
    print(
        f"{'logging a session (POST)':44} {l50 * 1000:8.1f} {l95 * 1000:8.1f} "
        f"{l50 / p50:7.1f} {l95 / p95:7.1f}   (target 10x the trivial POST)"
    )
    print(
        f"{'the owner programme page':44} {owner50 * 1000:8.1f} {owner95 * 1000:8.1f} "
        f"{owner50 / ping50:7.1f} {owner95 / ping95:7.1f} {small[1]:>4} -> {large[1]:<4}"
        "(target 15x)"
    )
    print(f"\nrebuilding the programme's figures ({Pair.objects.count()} pairs): {build_s:.1f} s")
    if small != large:
        raise SystemExit(f"query counts grew with the pairs: {small} -> {large}")


if __name__ == "__main__":
    main()
