"""The fault harness: a training day's live burst, and progress events, while the worker is
killed, Redis restarts or PostgreSQL restarts. Nothing acknowledged may be lost, and the
summary and the figures must catch up by themselves (issue 11).

    .venv/bin/python bench/faults.py                        # 300 answers in 30 s per fault
    .venv/bin/python bench/faults.py --answers 40 --seconds 6   # what CI runs

It starts its own PostgreSQL and Redis on other ports (never the shared ones), gunicorn, a
Celery worker and beat, the way production runs them: a process that exits is started again
(compose `restart:`), and the harness says how often that happened. For each fault it prints
answers sent / acknowledged / stored / lost, client errors (and how many fell while the
database was down), and the seconds from the service coming back until the summary, and the
progress figures, equal a full recompute."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import _post, _session_browser  # noqa: E402
from bench.run import BIN, PORT, ROOT, prepare  # noqa: E402

PG_PORT = 55432
REDIS_PORT = 56379
PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"), Path("/usr/bin"))
CONVERGE_LIMIT = 90  # seconds after recovery before a run counts as not converged


class PrivatePostgres:
    """A throw-away cluster in a temporary folder, owned by the postgres user."""

    def __init__(self, folder: Path):
        self.data = folder / "pg"
        self.log = folder / "pg.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args):
        subprocess.run([*self.as_postgres, *map(str, args)], check=True, capture_output=True)

    def init(self):
        self.data.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.data, "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")
        self.start()

    def start(self):
        options = f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start")

    def stop(self):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{PG_PORT}"


class PrivateRedis:
    """Redis without persistence: a restart loses every queued message, the hard case."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.05)
        raise SystemExit("private redis did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Supervised:
    """A process kept running the way compose's `restart: unless-stopped` does."""

    def __init__(self, name, command, env):
        self.name, self.command, self.env = name, command, env
        self.process = None
        self.restarts = 0
        self.running = False
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self):
        self.running = True
        self.process = self._spawn()
        self._thread.start()

    def _spawn(self):
        return subprocess.Popen(
            [str(a) for a in self.command],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(self.env["POLKU_FAULT_LOG"], "ab"),
        )

    def _watch(self):
        while self.running:
            if self.process.poll() is not None and self.running:
                time.sleep(1)  # compose waits a moment before it restarts a container
                if self.running:
                    self.restarts += 1
                    self.process = self._spawn()
            time.sleep(0.2)

    def kill(self):
        """SIGKILL to the whole process group: the main process and its children."""
        os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self):
        self.running = False
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def _processes(env, folder):
    celery = [BIN / "celery", "-A", "polku.celery:app"]
    return [
        Supervised(
            "web",
            [
                BIN / "gunicorn",
                "polku.wsgi:application",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            env,
        ),
        Supervised(
            "worker",
            [
                *celery,
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        ),
        Supervised(
            "beat",
            [*celery, "beat", "--loglevel", "WARNING", "--schedule", folder / "beat-schedule"],
            env,
        ),
    ]


def _db_retry(fn):
    """Runs a query of the harness's own, through a database that may be restarting."""
    from django.db import OperationalError, close_old_connections, connection

    for _ in range(200):
        try:
            return fn()
        except OperationalError:
            connection.close()
            close_old_connections()
            time.sleep(0.1)
    raise SystemExit("the database did not come back")


def _fault_in_background(inject, recover, after: float, outage: dict) -> threading.Thread:
    """The fault `after` seconds from now, recovered two seconds later; `outage` gets the
    moments it went down and came back."""

    def fault():
        time.sleep(after)
        outage["down"] = time.perf_counter()
        inject()
        time.sleep(2)
        recover()
        outage["up"] = time.perf_counter()

    thread = threading.Thread(target=fault)
    thread.start()
    return thread


def live_run(fault, inject, recover, args, world):
    """300 answers over 30 s; the fault at a third of the way, recovered two seconds later."""
    from programmes.live import services
    from programmes.live.models import LiveAnswer, LiveQuestion, LiveSummary

    question = _db_retry(
        lambda: services.question_create(
            cohort=world["cohort"],
            training_day=world["day"],
            kind=LiveQuestion.Kind.WORDS,
            prompt=f"Yksi sana ({fault})?",
        )
    )
    _db_retry(lambda: services.question_open(question=question))
    path = f"/c/{world['cohort'].slug}/live/{question.id}/answer/"
    results, lock = [], threading.Lock()
    outage = {"down": None, "up": None}
    started = time.perf_counter()

    def answer(n):
        delay = started + n * args.seconds / args.answers - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            status, _body, _t = _post(world["browsers"][n], path, {"value": f"sana{n % 7}"})
        except OSError:
            status = 0
        with lock:
            results.append((status, time.perf_counter()))

    injector = _fault_in_background(inject, recover, args.seconds / 3, outage)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(answer, range(args.answers)))
    injector.join()
    # Convergence counts from when it could first happen: the service back and the last
    # answer in (the burst goes on after the fault).
    settled_from = max(outage["up"], max(at for _status, at in results))
    acknowledged = sum(1 for status, _at in results if status == 302)
    errors = [at for status, at in results if status != 302]
    # The database's own downtime (and a second for connections to come back) is excused.
    during = [at for at in errors if outage["down"] <= at <= outage["up"] + 1]

    def converged():
        stored = LiveAnswer.objects.filter(question=question).count()
        summary = LiveSummary.objects.filter(question=question).first()
        seq = LiveQuestion.objects.get(id=question.id).answer_seq
        return stored, bool(
            summary and summary.through_seq >= seq and summary.data.get("count") == stored
        )

    converged_after = None
    while time.perf_counter() - settled_from < CONVERGE_LIMIT:
        stored, done = _db_retry(converged)
        if done:
            converged_after = time.perf_counter() - settled_from
            break
        time.sleep(0.1)
    stored, _done = _db_retry(converged)
    return {
        "fault": fault,
        "sent": args.answers,
        "acknowledged": acknowledged,
        "stored": stored,
        "lost": max(0, acknowledged - stored),
        "errors": len(errors),
        "errors_while_down": len(during),
        "converged_after": converged_after,
    }


def progress_run(inject, recover, args, world):
    """Attendance marks for everyone, one by one, while the worker is killed and restarted;
    then the stored figures must equal a full recompute."""
    from django.db import transaction

    from progress import rollups
    from progress.models import CohortProgress, ParticipantProgress
    from progress.services import attendance_mark

    members = world["participants"][: args.answers]
    outage = {}

    injector = _fault_in_background(inject, recover, args.seconds / 3, outage)
    started = time.perf_counter()
    for n, membership_id in enumerate(members):
        delay = started + n * args.seconds / len(members) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)

        def mark(membership_id=membership_id, n=n):
            with transaction.atomic():
                attendance_mark(
                    cohort=world["cohort"],
                    training_day=world["held_day"],
                    trainer=None,
                    marks={membership_id: ("present" if n % 3 else "absent", "", False)},
                )

        _db_retry(mark)
    injector.join()
    settled_from = max(outage["up"], time.perf_counter())

    def settled():
        return (
            not ParticipantProgress.objects.filter(cohort=world["cohort"], stale=True).exists()
            and CohortProgress.objects.filter(
                cohort=world["cohort"], refresh_wanted_at=None, refreshing_since=None
            ).exists()
        )

    converged_after = None
    while time.perf_counter() - settled_from < CONVERGE_LIMIT:
        if _db_retry(settled):
            converged_after = time.perf_counter() - settled_from
            break
        time.sleep(0.2)
    drift = _db_retry(lambda: rollups.cohort_reconcile(world["cohort"].id))
    wrong = drift["participants"] + drift["groups"] + drift["cohort"] + drift["waiting"]
    return {
        "fault": "progress events, worker SIGKILL",
        "events": len(members),
        "figures_wrong_after": wrong,
        "converged_after": converged_after,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="polku-faults-"))
    postgres, redis = PrivatePostgres(folder), PrivateRedis(folder)
    postgres.init()
    redis.start()
    processes = []
    try:
        broker = f"redis://127.0.0.1:{REDIS_PORT}/0"
        env = prepare(
            postgres.url,
            "polku_faults",
            broker,
            CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
            POLKU_FAULT_LOG=str(folder / "processes.log"),
            POLKU_VAR_DIR=str(folder / "var"),
        )
        world = _world(args.answers)
        processes = _processes(env, folder)
        for process in processes:
            process.start()
        _wait_for_web()
        web, worker, _beat = processes
        time.sleep(3)  # the worker connects, beat sends its first sweep
        faults = [
            ("worker SIGKILL", worker.kill, lambda: None),
            ("Redis restart", redis.stop, redis.start),
            ("PostgreSQL restart", postgres.stop, postgres.start),
        ]
        rows = [live_run(name, inject, recover, args, world) for name, inject, recover in faults]
        progress = progress_run(worker.kill, lambda: None, args, world)
        restarts = {p.name: p.restarts for p in processes}
    finally:
        for process in processes:
            process.stop()
        redis.stop()
        postgres.stop()
    crashes = _report(args, rows, progress, restarts, folder)
    shutil.rmtree(folder, ignore_errors=True)
    if any(r["lost"] or r["converged_after"] is None for r in rows) or (
        progress["figures_wrong_after"] or progress["converged_after"] is None
    ):
        raise SystemExit("faults: answers lost, or no convergence")
    if crashes:  # the supervisor hid it, but a worker must survive a broker restart
        raise SystemExit("faults: the worker exited by itself (see the traceback above)")


def _wait_for_web():
    import http.client

    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("HEAD", "/ping/")
            connection.getresponse()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def _world(answers: int) -> dict:
    from bench.seed import seed
    from polku.people.models import Cohort, Membership, Role, User
    from programmes.models import TrainingDayPage, TrainingDaySchedule
    from progress import rollups

    seeded = seed(participants=answers, cohorts=1)
    cohort = Cohort.objects.get(slug=seeded["cohort"])
    users = list(User.objects.filter(email__startswith="p0-").order_by("id")[:answers])
    held = TrainingDaySchedule.objects.filter(cohort=cohort).order_by("starts_at").first()
    rollups.cohort_reconcile(cohort.id)
    return {
        "cohort": cohort,
        "day": TrainingDayPage.objects.first(),
        "held_day": held.page,
        "browsers": [_session_browser(user) for user in users],
        "participants": list(
            Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT)
            .order_by("id")
            .values_list("id", flat=True)
        ),
    }


def _report(args, rows, progress, restarts, folder):
    def seconds(value):
        return f"{value:.1f} s" if value is not None else f"not within {CONVERGE_LIMIT} s"

    print(
        f"\nfaults: {args.answers} live answers over {args.seconds:.0f} s per fault; "
        "gunicorn 3 workers, 1 Celery worker (2 children), beat; private PostgreSQL + Redis"
    )
    print(
        f"{'fault':22} {'sent':>5} {'acked':>6} {'stored':>7} {'lost':>5} "
        f"{'errors':>7} {'(down)':>7}  final summary after recovery + last answer"
    )
    for r in rows:
        print(
            f"{r['fault']:22} {r['sent']:>5} {r['acknowledged']:>6} {r['stored']:>7} "
            f"{r['lost']:>5} {r['errors']:>7} {r['errors_while_down']:>7}  "
            f"{seconds(r['converged_after'])}"
        )
    print(
        f"{progress['fault']}: {progress['events']} attendance events, figures wrong after: "
        f"{progress['figures_wrong_after']}, settled {seconds(progress['converged_after'])} "
        "after the restart and the last event"
    )
    print(f"processes restarted by the supervisor: {restarts}")
    log = (folder / "processes.log").read_text(errors="replace")
    crashes = log.count("Unrecoverable error")
    print(f"worker 'Unrecoverable error' exits in the log: {crashes}")
    if crashes:
        start = log.index("Unrecoverable error")
        print(log[start : start + 9000])
    return crashes


if __name__ == "__main__":
    main()
