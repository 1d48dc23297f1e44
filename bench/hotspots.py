"""Where a request's time goes: cProfile around N requests of one kind, in this process (the
test client, production settings, PostgreSQL and the Redis cache as the server has them), with
the queries each request runs.

    .venv/bin/python bench/hotspots.py --kind autosave --requests 200
    .venv/bin/python bench/hotspots.py --kind path --reuse   # the database of the last run

Prints the functions with the most time of their own and the most time under them, the
milliseconds of CPU per request and the statements of one request."""

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import _env, prepare, service_arguments  # noqa: E402

KINDS = (
    "ping",
    "path",
    "day",
    "assignment",
    "autosave",
    "photo",
    "feed",
    "live",
    "overview",
    "review",
)


def _requests(kind: str, seeded: dict, requests: int):
    """A function that sends one request of the kind, as the person who sends it."""
    from django.test import Client

    from polku.people.models import Membership
    from programmes.assignments.parts import answer_parts
    from programmes.models import AssignmentPage, TrainingDayPage

    cohort = seeded["cohort"]
    day = TrainingDayPage.objects.first()
    assignment = AssignmentPage.objects.first()
    who = {"overview": seeded["organiser"], "review": seeded["trainer"]}.get(
        kind, seeded["participant"]
    )
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=who))
    paths = {
        "ping": "/ping/",
        "path": f"/c/{cohort}/",
        "day": f"/c/{cohort}/day/{day.id}/",
        "assignment": f"/c/{cohort}/assignment/{assignment.id}/",
        "live": f"/c/{cohort}/day/{day.id}/live/",
        "overview": f"/c/{cohort}/overview/",
        "review": f"/c/{cohort}/assignment/{assignment.id}/answers/",
    }
    if kind == "feed":
        from bench.run import feed_grow

        group = Membership.objects.get(user__email=who, cohort__slug=cohort).small_group
        feed_grow(group, 50)  # as bench/run.py's first feed
        paths["feed"] = f"/c/{cohort}/groups/{group.id}/"
    if kind not in ("autosave", "photo"):
        path = paths[kind]
        return lambda: client.get(path)
    save = f"/c/{cohort}/assignment/{assignment.id}/answer/"
    if kind == "photo":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from bench.run import _photo

        # A part takes five photos: each participant sends five, then the next (from the last
        # of the cohort: bench/run.py's answers are from the first).
        photos = next(p for p in answer_parts(assignment) if p.kind == "photos")
        people = Membership.objects.filter(cohort__slug=cohort, role="participant")
        senders = []
        for membership in people.select_related("user").order_by("-id")[: requests // 5 + 3]:
            sender = Client(HTTP_HOST="127.0.0.1")
            sender.force_login(membership.user)
            senders += [sender] * 5
        photo, sent = _photo(0), iter(senders)

        def upload():
            return next(sent).post(
                save + "files/",
                {
                    "part": photos.id,
                    "client_key": f"hotspots-{time.time_ns()}",
                    "file": SimpleUploadedFile("photo.jpg", photo, "image/jpeg"),
                },
                HTTP_ACCEPT="application/json",
            )

        return upload
    text = next(p for p in answer_parts(assignment) if p.kind == "text")
    state = {"version": 0, "n": 0}

    def autosave():
        state["n"] += 1
        response = client.post(
            save,
            {"version": state["version"], f"part-{text.id}": "Aamukahvi " * state["n"]},
            HTTP_ACCEPT="application/json",
        )
        state["version"] = json.loads(response.content)["version"]
        if response.status_code == 409:  # a draft of an earlier run (--reuse): from its version
            return autosave()
        return response

    return autosave


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", choices=KINDS, default="path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--cohorts", type=int, default=10)
    service_arguments(parser, database="polku_bench_profile", broker="redis://127.0.0.1:6379/15")
    parser.add_argument("--reuse", action="store_true", help="the database as the last run left it")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", metavar="FILE", help="write the profile here (pstats format)")
    args = parser.parse_args()

    seeded_file = Path(f"/tmp/{args.database}.json")
    if args.reuse and seeded_file.exists():
        import os

        import django

        os.environ.update(_env(f"{args.postgres}/{args.database}", args.broker))
        django.setup()
        seeded = json.loads(seeded_file.read_text())
    else:
        prepare(args.postgres, args.database, args.broker)
        from bench.seed import seed

        seeded = seed(participants=args.participants, cohorts=args.cohorts)
        seeded_file.write_text(json.dumps(seeded))

    from django.db import connection

    send = _requests(args.kind, seeded, args.requests + 10)
    for _ in range(5):  # warm: imports, templates, caches
        response = send()
        assert response.status_code in (200, 201), (response.status_code, response.content[:300])
    queries = []

    def collect(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(collect):
        send()
    checked = send()
    assert checked.status_code in (200, 201), (checked.status_code, checked.content[:300])
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    for _ in range(args.requests):
        send()
    profile.disable()
    cpu = (time.process_time() - cpu) / args.requests * 1000
    wall = (time.perf_counter() - started) / args.requests * 1000
    if args.save:
        profile.dump_stats(args.save)  # for pstats or snakeviz: callers, callees, one function
    stats = pstats.Stats(profile).strip_dirs()
    print(f"\n{args.kind}: {cpu:.1f} ms CPU, {wall:.1f} ms wall per request (under cProfile)")
    print(f"{len(queries)} statements in one request:")
    for query in queries:
        print("  ", query[:200])
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
