"""A developer's or newcomer's machine: DEBUG on; SQLite and the file broker unless told
otherwise."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")

from .base import *  # noqa: E402, F403
from .base import INSTALLED_APPS, STORAGES  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # the demo command: development only

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
