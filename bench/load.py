"""A training day under load: N participants' phones at once (Locust, headless), against
gunicorn (DEBUG off), a real Celery worker, PostgreSQL and Redis, as in production.

    .venv/bin/python bench/load.py                        # 300 phones for 120 s
    .venv/bin/python bench/load.py --users 300,400,500    # the largest N that meets the target
    .venv/bin/python bench/load.py --users 10 --seconds 10 --cpu-seconds 2   # as CI runs it

The phones' mix is in bench/locustfile.py (my path, the training day, the live page and its
poll, live answers and votes, autosaves, photos, the group feed; 1-3 s between taps). For each
N it prints throughput, p50/p95/p99 and errors per kind of request, and the memory of every
process at the start and the end; then, one kind at a time, the CPU milliseconds a request of
that kind costs in the web workers, the database and the Celery worker. The target is 0 errors
and p95 <= 1 s for every kind. It drops and recreates the database named by --database; it
exits non-zero on any error or stored answer missing (and with --check, on a missed target)."""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    BIN,
    PORT,
    ROOT,
    _children,
    _rss_mb,
    prepare,
    served,
    service_arguments,
    session_cookies,
)

TARGET_P95_MS = 1000
KINDS = [  # Locust's request names, in the order printed, and the phone's method for each
    ("my path", "path"),
    ("training day", "day"),
    ("group feed", "feed"),
    ("live page", "live_page"),
    ("live poll", "live_poll"),
    ("live answer", "live_answer"),
    ("live vote", "live_vote"),
    ("assignment", "assignment"),
    ("autosave", "autosave"),
    ("photo upload", "photo"),
]
CPU_PHONES = 8  # a photo is sent at most three times a phone
CHOICES = ["Kuuntelu", "Palaute", "Luottamus"]


def plan(users: int) -> dict:
    """Each phone's cookies and paths: the first `users` participants, a whole cohort after
    another (a kick-off of several cohorts), each cohort with an open words question and an
    open vote on its training day."""
    from django.core import signing

    from polku.people.models import Membership, Role
    from programmes.assignments.parts import answer_parts
    from programmes.live import services
    from programmes.live.models import LiveQuestion
    from programmes.live.views import ROOM_SALT
    from programmes.models import AssignmentPage, TrainingDayPage

    day = TrainingDayPage.objects.first()
    assignment = AssignmentPage.objects.first()
    parts = {p.kind: p for p in reversed(answer_parts(assignment))}
    memberships = list(
        Membership.objects.filter(role=Role.PARTICIPANT)
        .select_related("user", "cohort")
        .order_by("cohort_id", "id")[:users]
    )
    cohorts = {}
    for membership in memberships:
        cohort = membership.cohort
        if cohort.id in cohorts:
            continue
        questions = [
            services.question_create(
                cohort=cohort, training_day=day, kind=kind, prompt=prompt, options=options
            )
            for kind, prompt, options in (
                (LiveQuestion.Kind.WORDS, "Yksi sana tästä aamusta?", None),
                (
                    LiveQuestion.Kind.SINGLE,
                    "Mitä harjoittelet ensi viikolla?",
                    {"choices": CHOICES},
                ),
            )
        ]
        for question in questions:
            services.question_open(question=question)
        base = f"/c/{cohort.slug}/"
        cohorts[cohort.id] = {
            "path": base,
            "day": f"{base}day/{day.id}/",
            "live": f"{base}day/{day.id}/live/",
            "room": f"/live/r/{signing.dumps([cohort.id, day.id], salt=ROOM_SALT)}/",
            "answer_words": f"{base}live/{questions[0].id}/answer/",
            "answer_poll": f"{base}live/{questions[1].id}/answer/",
            "assignment": f"{base}assignment/{assignment.id}/",
            "save": f"{base}assignment/{assignment.id}/answer/",
            "upload": f"{base}assignment/{assignment.id}/answer/files/",
            "questions": [q.id for q in questions],
        }
    phones = [
        {
            **cohorts[m.cohort_id],
            "user": m.user_id,
            "cookies": session_cookies(m.user),
            "feed": f"/c/{m.cohort.slug}/groups/{m.small_group_id}/",
            "text_part": parts["text"].id,
            "photo_part": parts["photos"].id,
        }
        for m in memberships
    ]
    return {"phones": phones, "choices": CHOICES}


def locust(plan_file: Path, out: Path, *, users: int, seconds: float, only="") -> dict:
    """Runs Locust headless and returns its statistics per request name."""
    command = [
        BIN / "locust",
        "-f",
        ROOT / "bench" / "locustfile.py",
        "--headless",
        "--host",
        f"http://127.0.0.1:{PORT}",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),  # all phones in within 10 s, as people sit down
        "--run-time",
        f"{int(seconds)}s",
        "--stop-timeout",
        "5",
        "--csv",
        out,
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",  # errors are counted and judged here
    ]
    env = {
        **os.environ,
        "POLKU_LOAD_ONLY": only,
        "POLKU_LOAD_PLAN": str(plan_file),
        "POLKU_LOAD_ANSWERED": f"{out}-answered.json",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(f"{out}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    # Locust shares the machine's cores with the servers: say how much it took.
    rows["Aggregated"]["cpu"] = (after.ru_utime + after.ru_stime) - (
        before.ru_utime + before.ru_stime
    )
    return rows


def _cpu_seconds(pids) -> float:
    """CPU time of these processes and of their children that have ended (a database
    connection closed, a worker recycled: their time moves to the parent's account)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / ticks  # utime, stime, cutime, cstime
    return total


def _postgres_pids() -> list[int]:
    result = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def _memory(server, worker) -> str:
    web = [_rss_mb(pid) for pid in _children(server.pid)]
    celery = [_rss_mb(pid) for pid in _children(worker.pid)]
    return (
        f"web workers {', '.join(f'{m:.0f}' for m in web)} MB; "
        f"Celery {_rss_mb(worker.pid):.0f} MB, its children "
        f"{', '.join(f'{m:.0f}' for m in celery)} MB"
    )


def _stored_answers(phones: dict, answered_file: Path) -> list[str]:
    """Every phone whose answer was accepted has it stored (nothing lost under load)."""
    from programmes.live.models import LiveAnswer

    answered = json.loads(answered_file.read_text()) if answered_file.exists() else {}
    problems = []
    for index, kind in enumerate(("words", "poll")):
        users = {phones[n]["user"] for n in answered.get(kind, [])}
        question_ids = {phones[n]["questions"][index] for n in answered.get(kind, [])}
        stored = set(
            LiveAnswer.objects.filter(question_id__in=question_ids).values_list(
                "user_id", flat=True
            )
        )
        if users - stored:
            problems.append(f"{len(users - stored)} accepted {kind} answers not stored")
    return problems


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="300", help="phones at once; a list runs each")
    parser.add_argument("--seconds", type=float, default=120.0, help="each run's duration")
    parser.add_argument("--cpu-seconds", type=float, default=15.0, help="per kind, 0 skips")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--cohorts", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn's (its config)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    service_arguments(parser, database="polku_bench_load", broker="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",")]

    prepare(args.postgres, args.database, args.broker)
    from bench.seed import seed

    seed(participants=max(args.participants, max(counts)), cohorts=args.cohorts)
    folder = Path(tempfile.mkdtemp(prefix="polku-load-"))
    failures, met = [], []
    the_plan = plan(max(counts))

    def plan_file(name, phones):
        path = folder / f"plan-{name}.json"
        path.write_text(json.dumps({**the_plan, "phones": the_plan["phones"][:phones]}))
        return path

    with served(workers=args.workers) as (server, worker):
        # Warm-up, not counted: each worker's first requests load templates and code.
        locust(plan_file("warm", 8), folder / "warm", users=8, seconds=8)
        for users in counts:
            memory_before = _memory(server, worker)
            started = time.perf_counter()
            stats = locust(
                plan_file(users, users), folder / f"load-{users}", users=users, seconds=args.seconds
            )
            elapsed = time.perf_counter() - started
            total = stats.pop("Aggregated")
            print(
                f"\n{users} phones for {args.seconds:.0f} s ({elapsed:.0f} s with ramp-up and "
                f"stop), 1-3 s between taps; {_served_by(server)}"
            )
            print(
                f"{'request':18} {'count':>7} {'req/s':>7} {'errors':>7} "
                f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
            )
            worst = 0
            for name, _method in KINDS:
                row = stats.get(name)
                if row is None:
                    continue
                worst = max(worst, int(row["95%"]))
                print(
                    f"{name:18} {row['Request Count']:>7} {float(row['Requests/s']):7.1f} "
                    f"{row['Failure Count']:>7} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
                )
            print(
                f"{'all':18} {total['Request Count']:>7} {float(total['Requests/s']):7.1f} "
                f"{total['Failure Count']:>7} {total['50%']:>7} {total['95%']:>7} "
                f"{total['99%']:>7}"
            )
            print(
                f"the load generator (Locust) used {total['cpu']:.0f} s of CPU, "
                f"{total['cpu'] / elapsed:.0%} of one core"
            )
            errors = int(total["Failure Count"])
            lost = _stored_answers(the_plan["phones"], folder / f"load-{users}-answered.json")
            print(f"memory at start: {memory_before}")
            print(f"memory at end:   {_memory(server, worker)}")
            ok = errors == 0 and worst <= TARGET_P95_MS
            print(
                f"target (0 errors, p95 <= {TARGET_P95_MS} ms for every kind): "
                + ("met" if ok else f"missed ({errors} errors, worst p95 {worst} ms)")
            )
            if ok:
                met.append(users)
            if errors:
                failures.append(f"{users} phones: {errors} errors")
            failures += [f"{users} phones: {problem}" for problem in lost]
        if len(counts) > 1:
            print(
                f"\nlargest N that met the target: {max(met) if met else 'none of ' + args.users}"
            )
        if args.cpu_seconds:
            _cpu_per_kind(server, worker, plan_file("cpu", CPU_PHONES), folder, args.cpu_seconds)
    if failures:
        raise SystemExit("load: " + "; ".join(failures))
    if args.check and len(met) < len(counts):
        raise SystemExit("load: target missed")


def _served_by(server) -> str:
    return f"gunicorn {len(_children(server.pid))} workers, 1 Celery worker, DEBUG off"


def _cpu_per_kind(server, worker, plan_file, folder, seconds):
    """One kind at a time, from a few phones: CPU time spent / requests of that kind, in the
    web workers, PostgreSQL and the Celery worker (what the requests asked it to do)."""

    def cpu():
        return (
            _cpu_seconds([server.pid, *_children(server.pid)]),
            _cpu_seconds(_postgres_pids()),
            _cpu_seconds([worker.pid, *_children(worker.pid)]),
        )

    # What the processes spend doing nothing (gunicorn's and Celery's own loops, beat-less
    # PostgreSQL housekeeping) is not any request's: measured first, then subtracted.
    _settled(cpu)  # requests still queued from a saturated run are served first
    started, before = time.monotonic(), cpu()
    time.sleep(seconds)
    idle = [(a - b) / (time.monotonic() - started) for a, b in zip(cpu(), before, strict=True)]
    print(
        f"\nCPU per request, one kind at a time ({CPU_PHONES} phones, {seconds:.0f} s each; "
        f"idle: web {idle[0] * 1000:.0f}, db {idle[1] * 1000:.0f}, "
        f"worker {idle[2] * 1000:.0f} ms/s, subtracted)\n"
        f"{'request':18} {'count':>7} {'web ms':>8} {'db ms':>8} {'worker ms':>10}"
    )
    for name, function in KINDS:
        started, before = time.monotonic(), cpu()
        stats = locust(
            plan_file, folder / f"cpu-{function}", users=CPU_PHONES, seconds=seconds, only=function
        )
        after = _settled(cpu)  # the worker's builds and renditions the requests asked for
        elapsed = time.monotonic() - started
        requests = int(stats.get(name, {}).get("Request Count", 0))
        if requests:
            web_ms, db_ms, worker_ms = (
                max(0.0, a - b - rate * elapsed) * 1000 / requests
                for a, b, rate in zip(after, before, idle, strict=True)
            )
            print(f"{name:18} {requests:7d} {web_ms:8.1f} {db_ms:8.1f} {worker_ms:10.1f}")


def _settled(cpu, most=30.0):
    """CPU times once web and worker stop working (what was asked is done), within `most`
    seconds."""
    deadline = time.monotonic() + most
    last = cpu()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu()
        if now[0] - last[0] < 0.01 and now[2] - last[2] < 0.01:
            return now
        last = now
    return last


if __name__ == "__main__":
    main()
