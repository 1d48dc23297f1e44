"""The test suite. Tasks run eagerly in unit tests; tests marked `worker` start a real worker."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: E402, F403
from .base import STORAGES, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
# A worker started by a test writes its mail to files the test can read.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# No persistent connections: a live-server thread's idle connection would block dropping the
# test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
