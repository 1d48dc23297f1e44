"""Live feedback under a training day's load: 300 participants answer one question within
30 seconds, against gunicorn (DEBUG off) with PostgreSQL, Redis and a real Celery worker.

    .venv/bin/python bench/live.py                 # 300 answers in 30 s
    .venv/bin/python bench/live.py --answers 30 --seconds 3   # what CI runs

Prints answers accepted / sent, p50 and p95 answer latency as a ratio to a trivial authenticated
POST (/ping/) in the same run, the summary builds run, and the time from the last answer to the
final summary; meanwhile every participant's phone polls the room (static/live.js), and the
polls' latency and how many were answered 304 are printed. It drops and recreates the database
named by --database."""

import argparse
import http.client
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PORT, Browser, prepare, served, service_arguments, session_cookies  # noqa: E402

POLLERS = 16  # threads that poll for the phones, each for every 16th phone
POLL_SECONDS = 1.5  # as static/live.js


def _session_browser(user) -> Browser:
    browser = Browser()
    browser.cookies = session_cookies(user)
    return browser


def _post(browser, path, fields):
    return browser.request(
        "POST", path, urlencode({"csrfmiddlewaretoken": browser.cookies["csrftoken"], **fields})
    )


def _room_poll(path, etag):
    """A phone's poll of the room: a conditional GET with no session (signed link)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path, headers={"If-None-Match": etag, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, response.getheader("ETag") or etag, elapsed


def _percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0)
    service_arguments(parser, database="polku_bench_live", broker="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    prepare(args.postgres, args.database, args.broker)
    from bench.seed import seed
    from polku.people.models import User
    from programmes.live import services
    from programmes.live.models import LiveQuestion, LiveSummary
    from programmes.models import TrainingDayPage

    seeded = seed(participants=args.answers, cohorts=1)
    users = list(User.objects.filter(email__startswith="p0-").order_by("id")[: args.answers])
    from polku.people.models import Cohort

    cohort = Cohort.objects.get(slug=seeded["cohort"])
    question = services.question_create(
        cohort=cohort,
        training_day=TrainingDayPage.objects.first(),
        kind=LiveQuestion.Kind.WORDS,
        prompt="Yksi sana tästä aamusta?",
    )
    services.question_open(question=question)
    browsers = [_session_browser(user) for user in users]
    answer_path = f"/c/{cohort.slug}/live/{question.id}/answer/"
    from django.core import signing

    from programmes.live.views import ROOM_SALT

    token = signing.dumps([cohort.id, question.training_day_id], salt=ROOM_SALT)
    room_path = f"/live/r/{token}/"

    with served(workers=3):
        baseline = browsers[0]
        for _ in range(10):
            _post(baseline, "/ping/", {})
        trivial = [_post(baseline, "/ping/", {})[2] for _ in range(100)]

        words = ["kahvi", "kahvia", "valmentaja", "tiimi", "onnistuminen", "palaute"]
        results: list[tuple[int, float]] = []
        lock = threading.Lock()
        started = time.perf_counter()

        def answer(n):
            delay = started + n * args.seconds / args.answers - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _body, elapsed = _post(
                browsers[n], answer_path, {"value": words[n % len(words)]}
            )
            with lock:
                results.append((status, elapsed))

        # Every phone keeps its live page open and polls the room every 1.5 s meanwhile.
        polls: list[tuple[int, float]] = []
        answering = threading.Event()
        answering.set()

        def phones(first):
            etags = {}
            while answering.is_set():
                tick = time.perf_counter()
                for phone in range(first, args.answers, POLLERS):
                    status, etags[phone], elapsed = _room_poll(room_path, etags.get(phone, ""))
                    with lock:
                        polls.append((status, elapsed))
                time.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - tick)))

        pollers = [threading.Thread(target=phones, args=(n,)) for n in range(POLLERS)]
        for thread in pollers:
            thread.start()
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(answer, range(args.answers)))
        last_answer = time.perf_counter()
        answering.clear()
        for thread in pollers:
            thread.join()
        accepted = sum(1 for status, _t in results if status == 302)
        expected_seq = LiveQuestion.objects.get(id=question.id).answer_seq
        final_after = None
        while time.perf_counter() - last_answer < 60:
            summary = LiveSummary.objects.filter(question=question).first()
            if (
                summary
                and summary.through_seq >= expected_seq
                and summary.data.get("count") == accepted
            ):
                final_after = time.perf_counter() - last_answer
                break
            time.sleep(0.05)
        builds = summary.version if summary else 0  # each stored build counts it up
        a50, a95 = _percentiles([t for _s, t in results])
        t50, t95 = _percentiles(trivial)
        print(
            f"\nlive: {args.answers} answers to one question over {args.seconds:.0f} s, "
            "gunicorn 3 sync workers, 1 Celery worker, DEBUG off"
        )
        print(f"answers accepted / sent:        {accepted} / {args.answers}")
        print(f"trivial POST (/ping/):          p50 {t50 * 1000:.1f} ms, p95 {t95 * 1000:.1f} ms")
        print(
            f"answer POST:                    p50 {a50 * 1000:.1f} ms ({a50 / t50:.1f}x), "
            f"p95 {a95 * 1000:.1f} ms ({a95 / t95:.1f}x)"
        )
        print(f"summary builds stored:          {builds} (for {accepted} answers)")
        p50, p95 = _percentiles([t for _s, t in polls])
        unchanged = sum(1 for status, _t in polls if status == 304)
        failed = sum(1 for status, _t in polls if status not in (200, 304))
        print(
            f"room polls ({args.answers} phones, every {POLL_SECONDS} s): {len(polls)}, "
            f"{unchanged} unchanged (304), {failed} errors; p50 {p50 * 1000:.1f} ms "
            f"({p50 / t50:.1f}x), p95 {p95 * 1000:.1f} ms ({p95 / t95:.1f}x)"
        )
        print(
            "last answer -> final summary:   "
            + (f"{final_after:.2f} s" if final_after is not None else "not within 60 s")
        )
        if accepted != args.answers or final_after is None or failed:
            raise SystemExit("live benchmark: answers lost or no final summary")


if __name__ == "__main__":
    main()
