"""Videos arriving beside a training day: participants each send a phone video resumably, in
pieces as static/resumable.js does (tus), while the room answers a live question; against
gunicorn (2 sync workers, DEBUG off), a Celery worker for the live, progress and email queues
and one for media (as docker/compose.yaml runs them), PostgreSQL and Redis.

    .venv/bin/python bench/uploads.py           # 20 videos of 100 MB, 300 live answers in 30 s
    .venv/bin/python bench/uploads.py --uploads 2 --megabytes 4 --answers 30 --seconds 3  # CI

Each phone sends at a 4G phone's pace (--mbit, 20 Mbit/s), its pieces reaching gunicorn whole
as a buffering reverse proxy hands them on (nginx's default; the README asks for it): a sync
worker never waits on a phone's network. --mbit 0 sends as fast as localhost takes them.

Prints the live answers' p50 and p95 alone and while the videos arrive (the target: p95 within
2x of its value alone), the largest memory of a web worker meanwhile (target: under 250 MB:
pieces are streamed to disk, never whole in memory), whether every video was made playable
and how long that took, and the media worker's throughput in seconds of video per second of
CPU (ffmpeg's own included). It drops and recreates the database named by --database."""

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import _percentiles, _post, _session_browser  # noqa: E402
from bench.run import (  # noqa: E402
    BIN,
    PORT,
    ROOT,
    _children,
    _rss_mb,
    prepare,
    served,
    service_arguments,
)

TICK = os.sysconf("SC_CLK_TCK")


def _video(folder: Path, megabytes: int) -> tuple[Path, float]:
    """A phone-like 1080p recording with sound of about `megabytes` (20 Mbit/s)."""
    seconds = max(1.0, megabytes * 8 / 20)
    path = folder / "IMG_0100.MOV"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-minrate", "20M"),
            # Constant bitrate (filler where the test picture is simpler than a phone's), so
            # the file is the size asked for.
            *("-maxrate", "20M", "-bufsize", "20M", "-x264-params", "nal-hrd=cbr"),
            *("-c:a", "aac", str(path)),
        ],
        check=True,
    )
    return path, seconds


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return
        except OSError:
            time.sleep(0.2)


def _cpu_seconds(pid: int) -> float:
    """CPU of a process and its children, waited-for ones included (ffmpeg under the pool)."""
    total = 0.0
    for process in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime
    return total


def _answers(browsers, path, seconds) -> list[tuple[int, float]]:
    """Every phone answers once, spread evenly over `seconds`."""
    results, lock, started = [], threading.Lock(), time.perf_counter()
    words = ["kahvi", "valmentaja", "tiimi", "onnistuminen", "palaute"]

    def answer(n):
        delay = started + n * seconds / len(browsers) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status, _body, elapsed = _post(browsers[n], path, {"value": words[n % len(words)]})
        with lock:
            results.append((status, elapsed))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(answer, range(len(browsers))))
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument(
        "--mbit",
        type=float,
        default=20,
        help="each phone's upload speed, Mbit/s (4G); 0: as fast as localhost takes them",
    )
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--render-minutes", type=float, default=30.0)
    parser.add_argument(
        "--upload-workers",
        type=int,
        default=1,
        help="gunicorn workers of their own for /uploads/ (0: the site's workers take them)",
    )
    service_arguments(parser, database="polku_bench_uploads", broker="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="polku-bench-uploads-"))
    video, video_seconds = _video(folder, args.megabytes)
    size = video.stat().st_size
    prepare(args.postgres, args.database, args.broker, PRIVATE_MEDIA_ROOT=str(folder / "private"))
    from bench.seed import seed
    from polku.people.models import Cohort, User
    from polku.uploads.models import StoredFile
    from programmes.assignments.parts import answer_parts
    from programmes.live import services
    from programmes.live.models import LiveQuestion
    from programmes.models import AssignmentPage, TrainingDayPage

    seeded = seed(participants=args.answers + args.uploads, cohorts=1)
    cohort = Cohort.objects.get(slug=seeded["cohort"])
    people = list(User.objects.filter(email__startswith="p0-").order_by("id"))
    answerers = [_session_browser(u) for u in people[: args.answers]]
    senders = [_session_browser(u) for u in people[args.answers : args.answers + args.uploads]]
    assignment = AssignmentPage.objects.first()
    files_part = next(p for p in answer_parts(assignment) if p.kind == "files").id
    join_path = f"/c/{cohort.slug}/assignment/{assignment.id}/answer/files/"

    def question(prompt):
        asked = services.question_create(
            cohort=cohort,
            training_day=TrainingDayPage.objects.first(),
            kind=LiveQuestion.Kind.WORDS,
            prompt=prompt,
        )
        services.question_open(question=asked)
        return f"/c/{cohort.slug}/live/{asked.id}/answer/"

    from django.conf import settings

    live_queues = [
        f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{k}" for k in ("live", "progress", "email")
    ]
    with served(workers=2, queues=live_queues) as (server, _worker):
        media = subprocess.Popen(
            [
                BIN / "celery",
                *("-A", "polku.celery:app", "worker", "--concurrency", "1"),
                *("--loglevel", "WARNING", "--without-gossip", "--without-mingle"),
                *("-Q", f"{settings.CELERY_TASK_DEFAULT_QUEUE}-media", "-n", "media@%h"),
            ],
            cwd=ROOT,
            env=dict(os.environ),
        )
        pool = None
        if args.upload_workers:
            # The upload pool: the same app in gunicorn workers of its own, to which the
            # reverse proxy sends /uploads/ (docs/scaling.md, docker/nginx.conf).
            pool = subprocess.Popen(
                [
                    BIN / "gunicorn",
                    "polku.wsgi:application",
                    *("--workers", str(args.upload_workers), "--bind", f"127.0.0.1:{PORT + 1}"),
                    *("--log-level", "warning"),
                ],
                cwd=ROOT,
                env=dict(os.environ),
            )
            _wait_for(PORT + 1)
        try:
            # A round unmeasured first: both workers' caches and connections warm, as they
            # are an hour into a training day.
            _answers(answerers, question("Miten matka sujui?"), min(args.seconds, 10))
            alone = _answers(answerers, question("Yksi sana aamusta?"), args.seconds)

            cpu_before = _cpu_seconds(media.pid)
            sent: list[float] = []
            failures: list[str] = []
            lock = threading.Lock()

            def send(n):
                try:
                    with open(video, "rb") as source:
                        upload_id, elapsed = senders[n].tus_send(
                            video.name,
                            source,
                            size,
                            rate=args.mbit * 1e6 / 8,
                            port=PORT + 1 if args.upload_workers else PORT,
                        )
                    status, body, joining = senders[n].post_form(
                        join_path,
                        {"part": files_part, "client_key": f"video-{n}", "upload": upload_id},
                    )
                    if status != 201:
                        raise RuntimeError(f"join: HTTP {status} {body[:200]!r}")
                    with lock:
                        sent.append(elapsed + joining)
                except (OSError, RuntimeError, SystemExit) as error:
                    with lock:
                        failures.append(str(error))

            uploaders = [threading.Thread(target=send, args=(n,)) for n in range(args.uploads)]
            peak = {"web": 0.0}
            sending = threading.Event()
            sending.set()

            def watch_memory():
                while sending.is_set():
                    for parent in (server, pool):
                        for pid in _children(parent.pid) if parent else []:
                            peak["web"] = max(peak["web"], _rss_mb(pid))
                    time.sleep(0.2)

            watcher = threading.Thread(target=watch_memory)
            watcher.start()
            upload_started = time.perf_counter()
            for thread in uploaders:
                thread.start()
            loaded = _answers(answerers, question("Entä nyt?"), args.seconds)
            for thread in uploaders:
                thread.join()
            uploads_took = time.perf_counter() - upload_started
            sending.clear()
            watcher.join()

            deadline = time.perf_counter() + args.render_minutes * 60
            videos = StoredFile.objects.filter(kind=StoredFile.Kind.VIDEO)
            while time.perf_counter() < deadline and (
                videos.filter(state=StoredFile.State.PROCESSING).exists()
                or videos.count() < args.uploads - len(failures)
            ):
                time.sleep(1)
            processed_after = time.perf_counter() - upload_started
            cpu = _cpu_seconds(media.pid) - cpu_before
        finally:
            for process in (media, pool):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=30)

    ready = videos.filter(state=StoredFile.State.READY).count()
    a50, a95 = _percentiles([t for _s, t in alone])
    b50, b95 = _percentiles([t for _s, t in loaded])
    accepted = sum(1 for s, _t in alone + loaded if s == 302)
    print(
        f"\nuploads: {args.uploads} videos of {size / 1e6:.0f} MB ({video_seconds:.0f} s, 1080p) "
        f"sent at once in 8 MB pieces "
        + (f"at {args.mbit:.0f} Mbit/s each" if args.mbit else "as fast as they are taken")
        + f", beside {args.answers} live answers in {args.seconds:.0f} s; "
        "gunicorn 2 sync workers"
        + (f" and {args.upload_workers} for uploads" if args.upload_workers else "")
        + ", a live worker and a media worker, DEBUG off"
    )
    print(f"live answers accepted / sent:   {accepted} / {2 * args.answers}")
    print(f"live answer alone:              p50 {a50 * 1000:.1f} ms, p95 {a95 * 1000:.1f} ms")
    print(
        f"live answer while videos arrive: p50 {b50 * 1000:.1f} ms, p95 {b95 * 1000:.1f} ms "
        f"({b95 / a95:.2f}x alone; target 2x)"
    )
    print(f"videos sent:                    {len(sent)} / {args.uploads} in {uploads_took:.1f} s")
    print(f"largest web worker meanwhile:   {peak['web']:.0f} MB (target 250 MB)")
    print(
        f"videos made playable:           {ready} / {args.uploads}, all within "
        f"{processed_after:.0f} s of the first piece"
    )
    print(
        f"media worker throughput:        {ready * video_seconds / cpu:.2f} s of video per CPU "
        f"second ({ready * video_seconds:.0f} s of video, {cpu:.0f} CPU s)"
        if cpu
        else "media worker throughput:        no CPU measured"
    )
    problems = []
    if failures:
        problems.append(f"uploads failed: {failures[:3]}")
    if accepted != 2 * args.answers:
        problems.append("live answers lost")
    if ready != args.uploads:
        problems.append("videos not made playable")
    if peak["web"] > 250:
        problems.append("a web worker over 250 MB")
    if problems:
        raise SystemExit("uploads benchmark: " + "; ".join(problems))


if __name__ == "__main__":
    main()
