"""Polku's benchmark: the app served by gunicorn with DEBUG off, against PostgreSQL and Redis,
with a real Celery worker, on a seeded scale. Prints, per page, p50 and p95 as a ratio to a
trivial authenticated page measured in the same run, and the page's query count.

    .venv/bin/python bench/run.py --participants 10000 --cohorts 50
    .venv/bin/python bench/run.py --participants 500 --cohorts 1

Run by hand; CI only checks that it starts (--participants 20 --cohorts 2 --requests 5).
It drops and recreates the database named by --database (default polku_bench)."""

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 8077


def _env(database_url: str, broker_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polku.settings.production",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        # The shared cache in Redis, as in production (another database of the broker's).
        "CACHE_URL": broker_url.rsplit("/", 1)[0] + "/10",
        "CELERY_TASK_DEFAULT_QUEUE": "polku-bench",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }


def _recreate_database(server_url: str, name: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(server_url + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        )


def _sources_digest(paths) -> str:
    """What the migrated schema or the collected static files are made from: our files'
    contents, and the pinned versions of everyone else's."""
    digest = hashlib.sha256((ROOT / "requirements" / "constraints.txt").read_bytes())
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The installed apps decide which migrations run and whose static files are collected.
SETTINGS = sorted((ROOT / "platform" / "settings").glob("*.py"))


def _our_files(pattern: str):
    for top in ROOT.iterdir():
        if top.is_dir() and top.name not in (".venv", "node_modules", ".git", "var", "staticfiles"):
            yield from top.rglob(pattern)


def _migrated_template(postgres: str, env: dict) -> str:
    """A migrated database to copy (CREATE DATABASE … TEMPLATE): every benchmark starts from
    an empty schema, and migrating one takes about 40 s; copying it, a second. Made again
    whenever a migration or a pinned version changes."""
    import psycopg

    name = "polku_bench_template_" + _sources_digest(
        [p for p in _our_files("*.py") if p.parent.name == "migrations"] + SETTINGS
    )
    with psycopg.connect(postgres + "/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
    building = name + "_building"  # a run stopped half-way leaves no half-made template
    _recreate_database(postgres, building)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"{postgres}/{building}"},
        check=True,
    )
    with psycopg.connect(postgres + "/postgres", autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def _static_collected(env: dict) -> None:
    """collectstatic, unless the same files were collected already (its hashing and
    compression of every file takes about 30 s)."""
    stamp = ROOT / "staticfiles" / ".polku-collected"
    digest = _sources_digest([p for p in (ROOT / "static").rglob("*") if p.is_file()] + SETTINGS)
    if stamp.exists() and stamp.read_text() == digest:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    stamp.write_text(digest)


def multipart(fields: dict, files: dict | None = None) -> tuple[str, bytes]:
    """A form as a phone sends it: (Content-Type, body); files as {name: (filename, bytes)}."""
    boundary = "polkubench"
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in (files or {}).items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return f"multipart/form-data; boundary={boundary}", b"".join(
        chunks
    ) + f"--{boundary}--\r\n".encode()


def session_cookies(user) -> dict[str, str]:
    """A logged-in person's cookies, made directly in the session store: hundreds of password
    hashes would take minutes and are not what is measured."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "polku.people.auth.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key, "csrftoken": get_random_string(32)}


class Browser:
    """One logged-in person: cookies and CSRF over plain http.client (no extra packages)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Language": "fi",
            "Host": "127.0.0.1",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content, elapsed

    def csrf(self) -> str:
        return self.cookies["csrftoken"]

    def post_form(self, path, fields: dict, files: dict | None = None, accept_json=True):
        """A multipart POST like the page's own: fields, and files as {name: (filename, bytes)}."""
        content_type, body = multipart({"csrfmiddlewaretoken": self.csrf(), **fields}, files)
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Content-Type": content_type,
            "Referer": f"http://127.0.0.1:{PORT}{path}",
            "Host": "127.0.0.1",
        }
        if accept_json:
            headers["Accept"] = "application/json"
        started = time.perf_counter()
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        return response.status, content, elapsed

    def tus_send(
        self,
        name: str,
        source,
        length: int,
        piece: int = 8 * 1024 * 1024,
        rate: float = 0,
        port: int = PORT,
    ):
        """Sends a file as static/resumable.js does (tus 1.0: create, then a PATCH a piece at
        a time, read from `source`, bytes or an open file, so a 100 MB video is never whole
        in memory). With `rate` (bytes a second) the pieces are paced as a phone's network
        sends them through a buffering reverse proxy: each piece reaches gunicorn whole, at
        the phone's pace. `port`: the server taking uploads, if not the site's own (an upload
        pool, docs/scaling.md). Returns (upload id, seconds)."""
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-CSRFToken": self.csrf(),
            "Referer": f"http://127.0.0.1:{PORT}/",
            "Host": "127.0.0.1",
            "Tus-Resumable": "1.0.0",
        }
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        encoded = base64.b64encode(name.encode()).decode()
        connection.request(
            "POST",
            "/uploads/",
            headers={
                **headers,
                "Upload-Length": str(length),
                "Upload-Metadata": f"filename {encoded}",
            },
        )
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            raise SystemExit(f"upload create: HTTP {response.status}")
        location = response.getheader("Location")
        offset = 0
        while offset < length:
            if isinstance(source, bytes):
                data = source[offset : offset + piece]
            else:
                data = source.read(piece)
            connection.request(
                "PATCH",
                location,
                body=data,
                headers={
                    **headers,
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            response = connection.getresponse()
            response.read()
            if response.status != 204:
                raise SystemExit(f"upload piece: HTTP {response.status}")
            offset += len(data)
            if rate:
                time.sleep(max(0.0, started + offset / rate - time.perf_counter()))
        connection.close()
        return location.rstrip("/").rsplit("/", 1)[-1], time.perf_counter() - started

    def login(self, email, password):
        _status, html, _t = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
        status, _html, _t = self.request(
            "POST",
            "/accounts/login/",
            urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password}),
        )
        if status != 302:
            raise SystemExit(f"login failed for {email}: HTTP {status}")


def _time(browser, path, requests, expect=200, baseline=None):
    """p50 and p95 of `requests` GETs of the page. With a baseline browser, a GET of /ping/
    by it follows each request, and its p50 and p95 come too: the machine's speed drifts
    (a shared host) by more than the targets' margins over a run, so each page is compared
    with the trivial page timed in the same moments."""
    for _ in range(max(3, requests // 10)):  # warm-up
        browser.request("GET", path)
    times, base = [], []
    for _ in range(requests):
        status, _content, elapsed = browser.request("GET", path)
        if status != expect:
            raise SystemExit(f"{path}: HTTP {status}")
        times.append(elapsed)
        if baseline is not None:
            base.append(_ping(baseline))
    return _p50_p95(times) + (_p50_p95(base) if baseline is not None else ())


HEADER = f" {'p50 ms':>7} {'p95 ms':>7} {'ping':>5} {'p50 x':>6} {'p95 x':>6}"


def _ping(browser) -> float:
    status, _content, elapsed = browser.request("GET", "/ping/")
    if status != 200:
        raise SystemExit(f"/ping/: HTTP {status}")
    return elapsed


def _p50_p95(times) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def _photo(n: int) -> bytes:
    """A phone-like photo: 1600x1200 JPEG with some texture, about 360 kB."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (200, 220, 210))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1600, 40):
        draw.line([(i, 0), (1600 - i, 1200)], fill=((i * 7 + n) % 255, 80, 120), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _answering(seeded, assignment, samples):
    """Per participant: autosaves of a draft, then three photos and a submission."""
    from programmes.assignments.parts import answer_parts

    parts = {p.kind: p for p in reversed(answer_parts(assignment))}
    save_path = f"/c/{seeded['cohort']}/assignment/{assignment.id}/answer/"
    upload_path = save_path + "files/"
    photos = [_photo(n) for n in range(3)]
    drafts, uploads, submits, flows, pings = [], [], [], [], []
    for n in range(samples):
        person = Browser()
        person.login(f"p0-{n}@bench.example", seeded["password"])
        version = 0
        for word in range(5):
            status, body, elapsed = person.post_form(
                save_path,
                {
                    "version": version,
                    f"part-{parts['text'].id}": "Aamukahvi " * (word + 1),
                },
            )
            if status != 200:
                raise SystemExit(f"draft save: HTTP {status} {body[:200]!r}")
            version = json.loads(body)["version"]
            drafts.append(elapsed)
            pings.append(_ping(person))
        started = time.perf_counter()
        for i, photo in enumerate(photos):
            # As the page: the photo goes over tus, then joins its part of the answer.
            upload_id, sending = person.tus_send(f"photo{i}.jpg", photo, len(photo))
            status, body, joining = person.post_form(
                upload_path,
                {"part": parts["photos"].id, "client_key": f"bench-{n}-{i}", "upload": upload_id},
            )
            if status != 201:
                raise SystemExit(f"photo upload: HTTP {status} {body[:200]!r}")
            uploads.append(sending + joining)
        status, body, elapsed = person.post_form(
            save_path,
            {
                "version": version,
                "submit_answer": "true",
                f"part-{parts['text'].id}": "Valmis vastaus",
            },
        )
        if status != 200:
            raise SystemExit(f"submit: HTTP {status} {body[:200]!r}")
        submits.append(elapsed)
        flows.append(time.perf_counter() - started)
        pings.append(_ping(person))
    return drafts, uploads, submits, flows, pings


def feed_grow(group, total: int) -> None:
    """The group's feed grown to `total` posts by its members, each with two comments."""
    from bench.seed import analyze
    from polku.people.models import User
    from workspaces.models import Comment, Post

    authors = list(User.objects.filter(memberships__small_group=group)[:6])
    missing = total - Post.objects.filter(small_group=group).count()
    posts = Post.objects.bulk_create(
        [
            Post(
                small_group=group,
                author=authors[i % len(authors)],
                body=f"Kokeilu {i}: aamukahvi",
                body_html=f"<p>Kokeilu {i}: aamukahvi</p>",
            )
            for i in range(missing)
        ],
        batch_size=1000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                post=post,
                author=authors[(i + 1) % len(authors)],
                body="Hyvä!",
                body_html="<p>Hyvä!</p>",
            )
            for i, post in enumerate(posts)
            for _ in range(2)
        ],
        batch_size=2000,
    )
    analyze()


def _feed(participant, seeded, requests):
    """The participant's small-group feed with 50 posts, then with 5,000."""
    from polku.people.models import Membership

    member = Membership.objects.select_related("small_group").get(user__email=seeded["participant"])
    path = f"/c/{seeded['cohort']}/groups/{member.small_group_id}/"
    rows = []
    for total in (50, 5000):
        feed_grow(member.small_group, total)
        timed = _time(participant, path, requests, baseline=participant)
        queries = _queries(seeded["participant"], path)
        rows.append((f"workspace feed ({total} posts)", *timed, queries))
    return rows


def _queries(email, path) -> int:
    """The page's query count, from Django's test client in this process (same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from polku.people.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def service_arguments(parser, *, database: str, broker: str) -> None:
    """--postgres, --database and --broker, as every benchmark takes them (each script its own
    database and Redis database, so two never share one)."""
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=database)
    parser.add_argument("--broker", default=broker)


def prepare(postgres: str, database: str, broker: str, **extra_env) -> dict:
    """A fresh database, migrated, with static files collected, and Django set up for this
    process with the same settings the server gets."""
    env = {**_env(f"{postgres}/{database}", broker), **extra_env}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    _recreate_database(postgres, database, template=_migrated_template(postgres, env))
    _static_collected(env)
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # entries of an earlier run's database (the same ids) must not be read
    return env


@contextmanager
def served(*, workers: int | None, queues: list[str] | None = None):
    """gunicorn (DEBUG off; workers as gunicorn.conf.py says unless given) and one Celery
    worker (of every queue, or of the `queues` named), stopped on the way out."""
    env = dict(os.environ)
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "polku.wsgi:application",
            *(["--workers", str(workers)] if workers else []),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [
            BIN / "celery",
            "-A",
            "polku.celery:app",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            *(["-Q", ",".join(queues)] if queues else []),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("HEAD", "/")
                break
            except OSError:
                time.sleep(0.2)
        yield server, worker
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    service_arguments(parser, database="polku_bench", broker="redis://127.0.0.1:6379/15")
    args = parser.parse_args()

    prepare(args.postgres, args.database, args.broker)
    from bench.seed import seed
    from programmes.models import AssignmentPage, TrainingDayPage

    started = time.perf_counter()
    seeded = seed(participants=args.participants, cohorts=args.cohorts)
    print(
        f"seeded {args.participants} participants in {args.cohorts} cohorts "
        f"in {time.perf_counter() - started:.1f} s"
    )

    day = TrainingDayPage.objects.first()
    assignment = AssignmentPage.objects.first()
    cohort = seeded["cohort"]
    pages = {
        "baseline: /ping/ (trivial authenticated)": "/ping/",
        "my path": f"/c/{cohort}/",
        "training day": f"/c/{cohort}/day/{day.id}/",
        "assignment": f"/c/{cohort}/assignment/{assignment.id}/",
        "live questions of the day": f"/c/{cohort}/day/{day.id}/live/",
        "cohort overview (organiser)": f"/c/{cohort}/overview/",
        "review list (trainer)": f"/c/{cohort}/assignment/{assignment.id}/answers/",
    }

    with served(workers=2) as (server, worker):
        participant, organiser = Browser(), Browser()
        participant.login(seeded["participant"], seeded["password"])
        organiser.login(seeded["organiser"], seeded["password"])
        rows = []
        trainer = Browser()
        trainer.login(seeded["trainer"], seeded["password"])
        people = {
            "organiser": (organiser, seeded["organiser"]),
            "trainer": (trainer, seeded["trainer"]),
        }
        for label, path in pages.items():
            who, email = next(
                (people[role] for role in people if role in label),
                (participant, seeded["participant"]),
            )
            timed = _time(who, path, args.requests, baseline=participant)
            rows.append((label, *timed, _queries(email, path)))
        rows += _feed(participant, seeded, args.requests)
        anonymous = _time(Browser(), "/ping/", args.requests, expect=302, baseline=participant)
        print(
            f"\n{args.participants} participants, {args.cohorts} cohorts, "
            f"{args.requests} requests per page, gunicorn 2 sync workers, DEBUG off\n"
            "(each request is followed by the participant's /ping/: a page's ratios are to the "
            "/ping/ of its own moments, shown as 'ping')\n"
        )
        print(f"{'page':40}{HEADER} {'queries':>8}")
        for label, p50, p95, base50, base95, queries in rows:
            print(
                f"{label:40} {p50 * 1000:7.1f} {p95 * 1000:7.1f} {base50 * 1000:5.1f} "
                f"{p50 / base50:6.1f} {p95 / base95:6.1f} {queries:8d}"
            )
        print(
            f"(anonymous /ping/, a redirect to the login page: p50 {anonymous[0] * 1000:.1f} ms; "
            f"logged in costs {anonymous[2] / anonymous[0]:.1f}x that, target <= 2x)"
        )
        samples = min(args.requests, 20)
        drafts, uploads, submits, flows, pings = _answering(seeded, assignment, samples)
        base50, base95 = _p50_p95(pings)
        print(f"\n{'answering':40}{HEADER}")
        for label, times in (
            ("save a draft (autosave)", drafts),
            ("a photo upload (1600x1200 JPEG)", uploads),
            ("submit an answer with 3 photos", submits),
            ("3 photo uploads + submit, summed", flows),
        ):
            p50, p95 = _p50_p95(times)
            print(
                f"{label:40} {p50 * 1000:7.1f} {p95 * 1000:7.1f} {base50 * 1000:5.1f} "
                f"{p50 / base50:6.1f} {p95 / base95:6.1f}"
            )
        print(
            f"({len(drafts)} draft saves and {len(submits)} submissions by {samples} "
            "participants, each followed by their /ping/)"
        )
        web = [_rss_mb(pid) for pid in _children(server.pid)]
        celery_children = [_rss_mb(pid) for pid in _children(worker.pid)]
        print(
            f"\nmemory: web workers {', '.join(f'{m:.0f}' for m in web)} MB; "
            f"celery children {', '.join(f'{m:.0f}' for m in celery_children)} MB"
        )


if __name__ == "__main__":
    main()
