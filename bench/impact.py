"""Team surveys at scale: every supervisor's team answers three waves (S2: 10,000 supervisors
x 8 team members x 3 waves = 240,000 answer sheets). Prints p50 and p95 of

- a team member answering (the team link's POST) as a ratio to a trivial POST (/ping/),
- a supervisor's results page and the organiser's cohort results, as ratios to /ping/,
  with their query counts at two sizes of answers (they must not grow),
- recomputing every team's figures of one wave.

    .venv/bin/python bench/impact.py --participants 10000 --cohorts 50
    .venv/bin/python bench/impact.py --participants 40 --cohorts 2 --requests 5   # CI smoke

It drops and recreates the database named by --database."""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import Browser, _queries, _time, prepare, served, service_arguments  # noqa: E402

TEAM = 8  # team members per supervisor


def _waves_add() -> dict[int, list]:
    """The coaching instrument on every cohort and three waves (two closed, the end open)."""
    from django.utils import timezone

    from impact.instrument import coaching_survey_add
    from impact.models import SurveyWave
    from polku.people.models import Cohort
    from programmes.models import ProgrammePage

    now = timezone.now()
    survey = coaching_survey_add(ProgrammePage.objects.first())
    waves = SurveyWave.objects.bulk_create(
        [
            SurveyWave(
                cohort=cohort,
                page=survey,
                kind=kind,
                opens_at=now + timedelta(days=opens),
                closes_at=now + timedelta(days=closes),
                invitations_sent_at=now,
            )
            for cohort in Cohort.objects.all()
            for kind, opens, closes in (
                ("baseline", -300, -280),
                ("midpoint", -150, -130),
                ("end", -1, 14),
            )
        ]
    )
    by_cohort: dict[int, list] = {}
    for wave in waves:
        by_cohort.setdefault(wave.cohort_id, []).append(wave)
    return by_cohort


def _answers_add(by_cohort: dict, per_team: int, seed: int, batch: int = 5000) -> None:
    """`per_team` answer sheets per supervisor per wave, rising a little wave by wave."""
    from bench.seed import analyze
    from impact import services
    from impact.models import Rater, TeamResponse
    from polku.people.models import Membership

    chance = random.Random(seed)
    page = next(iter(by_cohort.values()))[0].page
    statements = [item for item in services.current_items(page) if item.is_statement]
    rows = []
    supervisors = Membership.objects.joined_participants().values_list("id", "cohort_id")
    for supervisor_id, cohort_id in supervisors.iterator(chunk_size=2000):
        for lift, wave in enumerate(by_cohort[cohort_id]):
            rows += [
                TeamResponse(
                    wave=wave,
                    supervisor_id=supervisor_id,
                    rater=Rater.TEAM,
                    values={
                        str(item.id): min(5, max(1, round(chance.gauss(3 + lift * 0.3, 0.9))))
                        for item in statements
                    },
                )
                for _person in range(per_team)
            ]
        if len(rows) >= batch:
            TeamResponse.objects.bulk_create(rows, batch_size=batch)
            rows = []
    TeamResponse.objects.bulk_create(rows, batch_size=batch)
    analyze()


def _figures_build(by_cohort: dict) -> tuple[float, float, int]:
    """Every wave's figures; returns (all waves s, the largest wave s, its teams)."""
    from bench.seed import analyze
    from impact import services

    waves = [wave for waves in by_cohort.values() for wave in waves]
    started = time.perf_counter()
    for wave in waves:
        services.wave_figures_build(wave.id)
    all_waves = time.perf_counter() - started
    biggest = max(waves, key=lambda w: w.responses.count())
    started = time.perf_counter()
    teams = services.wave_figures_build(biggest.id)
    one_wave = time.perf_counter() - started
    analyze()
    return all_waves, one_wave, teams


def _answer_times(link_path: str, statements, requests: int) -> list[float]:
    times = []
    for n in range(requests):
        phone = Browser()
        phone.request("GET", link_path)
        fields = {"csrfmiddlewaretoken": phone.csrf()}
        fields |= {f"item-{item.id}": str(1 + (n + i) % 5) for i, item in enumerate(statements)}
        status, _content, elapsed = phone.request("POST", link_path, urlencode(fields))
        if status != 200:
            raise SystemExit(f"answering: HTTP {status}")
        times.append(elapsed)
    return sorted(times)


def _trivial_post_times(browser, requests: int) -> list[float]:
    """POST /ping/ (CSRF-checked, nothing else), as bench/live.py measures it."""
    times = []
    for _n in range(requests):
        body = urlencode({"csrfmiddlewaretoken": browser.csrf()})
        status, _content, elapsed = browser.request("POST", "/ping/", body)
        if status != 200:
            raise SystemExit(f"trivial POST: HTTP {status}")
        times.append(elapsed)
    return sorted(times)


def _p(times, q):
    return times[max(0, int(len(times) * q) - 1)]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--requests", type=int, default=100)
    service_arguments(parser, database="polku_bench_impact", broker="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    # Every timed answer comes from 127.0.0.1 through one team link: no rate limit here.
    prepare(args.postgres, args.database, args.broker, POLKU_TEAM_LINK_POSTS_PER_HOUR="1000000")
    from bench.seed import seed
    from impact import services
    from impact.models import TeamResponse
    from polku.people.models import Membership

    started = time.perf_counter()
    seeded = seed(participants=args.participants, cohorts=args.cohorts)
    cohort = seeded["cohort"]
    by_cohort = _waves_add()
    _answers_add(by_cohort, TEAM // 2, seed=1)  # half of each team first: the small size
    _figures_build(by_cohort)
    supervisor = Membership.objects.select_related("cohort").get(user__email=seeded["participant"])
    results_path = f"/c/{cohort}/team/"
    cohort_path = f"/c/{cohort}/impact/"
    small = (
        _queries(seeded["participant"], results_path),
        _queries(seeded["organiser"], cohort_path),
    )
    _answers_add(by_cohort, TEAM - TEAM // 2, seed=2)
    all_waves_s, one_wave_s, one_wave_teams = _figures_build(by_cohort)
    sheets = TeamResponse.objects.count()
    print(
        f"seeded {args.participants} supervisors in {args.cohorts} cohorts with {sheets} "
        f"team answer sheets in {time.perf_counter() - started:.0f} s"
    )
    wave = next(w for w in by_cohort[supervisor.cohort_id] if w.kind == "end")
    link = "/t/" + services.team_link_token(wave=wave, supervisor=supervisor) + "/"
    statements = [i for i in services.current_items(wave.page) if i.is_statement]
    with served(workers=2):
        participant, organiser = Browser(), Browser()
        participant.login(seeded["participant"], seeded["password"])
        organiser.login(seeded["organiser"], seeded["password"])
        ping50, ping95 = _time(participant, "/ping/", args.requests)
        post = _trivial_post_times(participant, args.requests)
        answer = _answer_times(link, statements, args.requests)
        results50, results95 = _time(participant, results_path, args.requests)
        cohort50, cohort95 = _time(organiser, cohort_path, args.requests)
    large = (
        _queries(seeded["participant"], results_path),
        _queries(seeded["organiser"], cohort_path),
    )
    print(f"\n{'':44} {'p50 ms':>8} {'p95 ms':>8} {'p50 x':>7} {'p95 x':>7} {'queries':>10}")
    print(f"{'baseline: /ping/':44} {ping50 * 1000:8.1f} {ping95 * 1000:8.1f}")
    p50, p95 = statistics.median(post), _p(post, 0.95)
    print(f"{'baseline: a trivial POST (/ping/)':44} {p50 * 1000:8.1f} {p95 * 1000:8.1f}")
    a50, a95 = statistics.median(answer), _p(answer, 0.95)
    print(
        f"{'a team member answers (team link POST)':44} {a50 * 1000:8.1f} {a95 * 1000:8.1f} "
        f"{a50 / p50:7.1f} {a95 / p95:7.1f}   (target 10x the trivial POST)"
    )
    print(
        f"{'a supervisor results (my team)':44} {results50 * 1000:8.1f} {results95 * 1000:8.1f} "
        f"{results50 / ping50:7.1f} {results95 / ping95:7.1f} {small[0]:>4} -> {large[0]:<4}"
        "(target 10x)"
    )
    print(
        f"{'organiser results (cohort)':44} {cohort50 * 1000:8.1f} {cohort95 * 1000:8.1f} "
        f"{cohort50 / ping50:7.1f} {cohort95 / ping95:7.1f} {small[1]:>4} -> {large[1]:<4}"
        "(target 15x)"
    )
    print(
        f"\nrecomputing one wave's figures ({one_wave_teams} teams): "
        f"{one_wave_s:.1f} s (target 60 s); all waves: {all_waves_s:.1f} s"
    )
    if small != large:
        raise SystemExit(f"query counts grew with the answers: {small} -> {large}")


if __name__ == "__main__":
    main()
