#!/usr/bin/env python3
"""Polku's two commands on a fresh machine with Python 3.11 and nothing else:

    python3 dev.py start   install, migrate, load the demo, run web + Celery worker + beat
    python3 dev.py test    install, run the whole test suite (extra arguments go to pytest)
    python3 dev.py idp     the demo organisation's own sign-in service, to try single sign-on

Both install into .venv from the pinned requirements/constraints.txt and are safe to repeat."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
INSTALL_INPUTS = [ROOT / "pyproject.toml", ROOT / "requirements" / "constraints.txt"]
STAMP = VENV / ".polku-installed"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def install():
    """Creates .venv and installs the pinned packages, again only when the pins change."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3
        sys.exit("Polku needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in INSTALL_INPUTS)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "-c",
        "requirements/constraints.txt",
        "-e",
        ".[dev]",
    )
    STAMP.write_text(digest)


def start():
    install()
    port = os.environ.get("PORT", "8000")
    env = {
        "SITE_URL": f"http://127.0.0.1:{port}",  # links in emails point at this server
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polku.settings.dev",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    manage = [PYTHON, "manage.py"]
    run(*manage, "migrate", "--no-input", "-v", "0", env=env)
    run(*manage, "demo", env=env)
    celery = [BIN / "celery", "-A", "polku.celery:app"]
    worker = subprocess.Popen(
        [
            str(a)
            for a in [
                *celery,
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
            ]
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker_ready = threading.Event()

    def worker_output():
        """The worker's lines go on to this terminal; its "ready." line says it is serving."""
        for line in worker.stdout:
            sys.stdout.write(line)
            if " ready." in line:
                worker_ready.set()

    threading.Thread(target=worker_output, daemon=True).start()
    processes = [
        subprocess.Popen(
            [str(a) for a in [*manage, "runserver", f"127.0.0.1:{port}"]], cwd=ROOT, env=env
        ),
        worker,
        subprocess.Popen([str(a) for a in [*celery, "beat", "--loglevel=INFO"]], cwd=ROOT, env=env),
    ]
    worker_ready.wait(timeout=60)
    time.sleep(1)  # the web server's and beat's own start-up lines come first
    from_demo = "polku-demo-2026"
    scim_token = "polku_demo-scim-token"  # devtools.demo.DEMO_SCIM_TOKEN; dev.py has no Django
    print(
        f"""
Polku is running at http://127.0.0.1:{port}/   (Ctrl-C stops web, worker and beat)
Emails are printed here, in the worker's output. A training day is on today: log in as the
participant and open "Live questions" on the path; the trainer shows the check-in QR code.

  participant   osallistuja01@polku.example   {from_demo}
  trainer       valmentaja1@polku.example     {from_demo}
  organiser     organisaattori@polku.example  {from_demo}
  admin         admin@polku.example           {from_demo}   (Wagtail: /admin/)
  single sign-on  sanna.sso@sso.polku.example   run `python3 dev.py idp` beside this, then
                  "Sign in with your work account" on the login page
  SCIM          curl -H "Authorization: Bearer {scim_token}" \\
                  http://127.0.0.1:{port}/scim/v2/Users   (the demo organisation's HR system)
""",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
    return max((p.returncode or 0) for p in processes)


def idp():
    """The demo organisation's own sign-in service (OpenID Connect, npm oidc-provider), for
    trying single sign-on against `dev.py start`. Needs Node.js."""
    install()
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        run("npm", "ci", "--no-audit", "--no-fund")
    port = os.environ.get("PORT", "8000")
    code = (
        "import django; django.setup(); from devtools.demo import DEMO_ORGANISATION; "
        "from devtools.identity_providers import demo_serve; "
        f"raise SystemExit(demo_serve(DEMO_ORGANISATION, 'http://127.0.0.1:{port}'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polku.settings.dev"}
    try:
        return subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 0


def test(args):
    install()
    # One pytest process per core (pytest-xdist), each with its own test database, unless the
    # arguments choose (-n 0 runs in one process, as a debugger wants).
    spread = [] if any(a.startswith(("-n", "--numprocesses")) for a in args) else ["-n", "auto"]
    return subprocess.run([str(PYTHON), "-m", "pytest", *spread, *args], cwd=ROOT).returncode


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "start":
        sys.exit(start())
    if command == "test":
        sys.exit(test(sys.argv[2:]))
    if command == "idp":
        sys.exit(idp())
    sys.exit(__doc__)
