"""Our `platform/` folder is imported as `polku` and must never hide the standard library's
`platform` module, which pytest, Celery and many libraries call."""

import os
import platform
import subprocess
import sys

from django.conf import settings


def test_the_standard_library_platform_module_works_inside_the_project():
    assert platform.system()
    assert platform.python_version().startswith("3.")
    assert "site-packages" not in platform.__file__
    assert not platform.__file__.startswith(str(settings.BASE_DIR / "platform"))


def test_manage_py_from_the_repo_root_sees_the_standard_library():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "import platform, polku.people; print(platform.system(), polku.people.__name__)",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "polku.settings.test"},
    )
    assert result.stdout.split() == [platform.system(), "polku.people"]


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "polku.settings.production",
            "SECRET_KEY": "x" * 20 + "a-production-like-secret-key-of-fifty-chars",
            "ALLOWED_HOSTS": "polku.example",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "polku.settings.production",
            "ALLOWED_HOSTS": "polku.example",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_gunicorn_does_not_announce_itself(tmp_path):
    """Finding 11 of issue 11: responses carried `Server: gunicorn`."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polku.settings.test"}
    server = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "polku.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/accounts/login/")
                response = connection.getresponse()
                break
            except OSError:
                time.sleep(0.1)
        assert "gunicorn" not in response.getheader("Server", "").lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_channel_without_its_connection_reports_the_broker_gone():
    """kombu 5.7.0 raised AttributeError here (closing the channel, or acknowledging a task,
    after Redis went away) and the worker exited (finding 13 of issue 11). polku.broker
    raises Redis' ConnectionError, which Celery handles as a lost broker."""
    from types import SimpleNamespace

    import pytest
    from redis.exceptions import ConnectionError as RedisConnectionError

    from polku.broker import Channel

    channel = Channel.__new__(Channel)  # no channel machinery: only what it looks at
    for connection in (None, SimpleNamespace(client=None)):
        channel.connection = connection
        with pytest.raises(RedisConnectionError):
            channel._connparams()


def test_a_redis_broker_is_reached_through_polku_broker():
    import pytest
    from django.conf import settings

    from polku.broker import Transport
    from polku.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("the file broker (a newcomer's machine); CI runs this against Redis")
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)
