"""Settings shared by every environment. Everything that differs between machines comes
from the environment (12-factor); see README "Configuration"."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

PLATFORM_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PLATFORM_DIR.parent
VAR_DIR = Path(environ.Env().str("POLKU_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")  # no default: each environment module decides
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtailmedia",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    "ninja",  # the read API's OpenAPI page, with its own copy of Swagger UI (api.v1)
]
LOCAL_APPS = [
    "polku.audit",
    "polku.people",
    "polku.uploads",
    "polku.notifications",
    "programmes",
    "programmes.assignments",
    "programmes.live",
    "progress",
    "workspaces",
    "impact",
    "mentoring",
    "privacy",
    "api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "polku.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "polku.caching.VersionsOncePerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "polku.middleware.DatabaseUnavailableMiddleware",
    "polku.middleware.IdentityProviderUnreachableMiddleware",
    "polku.middleware.MalformedAdminPostMiddleware",
]

# Content-Security-Policy (django-csp). Polku's pages run no inline script: every script is a
# file of ours. Style attributes stay allowed (bar widths, word weights are data), <style>
# elements do not. Videos in materials are embedded from YouTube and Vimeo.
_VIDEO_FRAMES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": _VIDEO_FRAMES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin brings inline scripts and styles, and shows previews in a frame of its own.
POLKU_ADMIN_CSP = {  # directives, as django-csp's DIRECTIVES
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *_VIDEO_FRAMES],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Permissions-Policy (django-permissions-policy): photos come through the file picker, which
# needs no permission; no page of ours asks for any of these.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

ROOT_URLCONF = "polku.urls"
WSGI_APPLICATION = "polku.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring.context_processors.mentoring",
                "polku.pwa.phone_context",
            ],
        },
    },
]

# SQLite in a local folder unless DATABASE_URL says otherwise (PostgreSQL in CI and production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'polku.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks instead of failing at once, and let
    # the test database live in a file so a real worker process can see it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by web and worker processes (the live projector's "unchanged?" answer comes
# from here, without a database query): files in var/ by default, Redis in production
# (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "polku.caching.ClientReusingRedisCache"

AUTH_USER_MODEL = "people.User"
# Django's and allauth's, reading the logged-in user through the cache (polku.people.auth).
AUTHENTICATION_BACKENDS = [
    "polku.people.auth.ModelBackend",
    "polku.people.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email + password only; people arrive by invitation, so no open sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "polku.people.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_FORMS = {
    "login": "polku.people.forms.LoginForm",
    "reset_password": "polku.people.forms.PasswordResetForm",
}
ACCOUNT_PREVENT_ENUMERATION = True  # the reset form answers the same for any address
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True

# Single sign-on with each organisation's identity provider (polku.people.sso): the providers
# are the organisations' own settings, never rows of allauth's SocialApp.
SOCIALACCOUNT_ADAPTER = "polku.people.adapters.OrganisationSignOnAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # who the provider vouches for gets an account at once
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # vouched for by the organisation's provider
# The sign-on starts from a link: a form that posts and is redirected to the identity
# provider is stopped by the pages' Content-Security-Policy (form-action 'self').
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_STORE_TOKENS = False
# Sessions in the database, read through the cache (a query less a request); see polku.sessions.
SESSION_ENGINE = "polku.sessions"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "polku.static_storage.StaticStorage"},
}

EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Polku <polku@localhost>")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Celery. The default broker needs no server: kombu's filesystem transport in var/, served by a
# real worker process. CI and production point CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        # kombu's default is ./control in the working directory: the tree, not var/
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    # The transport fails on a missing folder; web, worker and beat may start in any order.
    _queue_dir.mkdir(parents=True, exist_ok=True)
else:
    # A message a worker took and never acknowledged (killed with SIGKILL) comes back after
    # this many seconds. It must outlast the longest countdown and task (11 minutes, the
    # reminder emails), or a task would run twice; the hour of the default made a lost task
    # wait an hour. Coalesced rebuilds do not wait for it: the sweep asks again in seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 15 * 60}
    if CELERY_BROKER_URL.startswith("redis"):
        # Redis, with the fix that keeps the worker running when Redis restarts.
        CELERY_BROKER_TRANSPORT = "polku.broker:Transport"
CELERY_TASK_IGNORE_RESULT = True  # tasks store what they produce in the database
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="polku")
# A queue per kind of work (polku.celery.TASK_KINDS): a worker started without -Q takes them
# all; production may run one worker for "polku-live" alone (docs/scaling.md).
QUEUE_KINDS = ("live", "progress", "email", "media")
CELERY_TASK_ROUTES = ["polku.celery.task_route"]
# Each queue has an exchange and a routing key of its own: queues declared without them share
# the default ones, and a message could reach every queue bound to the same key.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (f"{CELERY_TASK_DEFAULT_QUEUE}-{kind}" for kind in QUEUE_KINDS)
]
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it to be run again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 300_000  # KiB: the 300 MB budget per Celery child
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

# Wagtail
WAGTAIL_SITE_NAME = "Polku"
# One login for everyone, the site's (allauth: rate-limited, locks after repeated failures);
# Wagtail's own login and password reset would bypass both (urls.py sends /admin/login/ there).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No Gravatar: it would send a hash of every editor's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Trainers' video and sound for materials (wagtailmedia), kept privately and made playable by
# the worker like a participant's video (programmes.MaterialMedia).
WAGTAILMEDIA = {
    "MEDIA_MODEL": "programmes.MaterialMedia",
    "MEDIA_FORM_BASE": "programmes.materials.MaterialMediaForm",  # checked by content
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # every download passes our access hook
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Wagtail's own background work (search index, references) runs in-process: it is separate
# from our Celery app and needs no worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

POLKU_INVITATION_DAYS = env.int("POLKU_INVITATION_DAYS", default=14)
# The read API's rate limit per token (api.v1), as Django Ninja writes it: "600/m".
POLKU_API_RATE = env.str("POLKU_API_RATE", default="600/m")
# Answers through one team link from one address per hour: a team at a meeting, not a script.
POLKU_TEAM_LINK_POSTS_PER_HOUR = env.int("POLKU_TEAM_LINK_POSTS_PER_HOUR", default=30)

# Uploads: participants' photos and files. Private: outside MEDIA_ROOT, served only by views
# that check who may see them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
POLKU_UPLOAD_MAX_BYTES = env.int("POLKU_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
POLKU_ANSWER_MAX_BYTES = env.int("POLKU_ANSWER_MAX_BYTES", default=100 * 1024 * 1024)
POLKU_IMAGE_MAX_PIXELS = env.int("POLKU_IMAGE_MAX_PIXELS", default=60_000_000)  # 48 MP phones fit
# Video (polku.uploads.video): a phone's 10 minutes fit; 4K is the largest picture phones record.
POLKU_VIDEO_MAX_BYTES = env.int("POLKU_VIDEO_MAX_BYTES", default=1024 * 1024 * 1024)
POLKU_VIDEO_MAX_SECONDS = env.int("POLKU_VIDEO_MAX_SECONDS", default=10 * 60)
POLKU_ANSWER_MAX_VIDEOS = env.int("POLKU_ANSWER_MAX_VIDEOS", default=3)  # each up to the above
POLKU_VIDEO_MAX_PIXELS = env.int("POLKU_VIDEO_MAX_PIXELS", default=4096 * 2160)
# How long ffmpeg may take per second of video before it is stopped (2 cores, veryfast).
POLKU_VIDEO_SECONDS_PER_SECOND = env.float("POLKU_VIDEO_SECONDS_PER_SECOND", default=4.0)
# Keep a video's original (private, never served) after its web copy is made; off: phones'
# originals carry where they were shot, and are ten times the copy's size.
POLKU_VIDEO_KEEP_ORIGINAL = env.bool("POLKU_VIDEO_KEEP_ORIGINAL", default=False)
# Resumable uploads (polku.uploads.resumable): a phone may come back to an unfinished one for
# a day; a person has at most this many unfinished at once (a full disk is everyone's problem).
POLKU_RESUMABLE_HOURS = env.int("POLKU_RESUMABLE_HOURS", default=24)
POLKU_RESUMABLE_OPEN_MAX = env.int("POLKU_RESUMABLE_OPEN_MAX", default=20)
# A piece of a resumable upload: one a phone sends in seconds on a mobile network, so a web
# worker is never held long by one request and a dropped connection costs little.
POLKU_RESUMABLE_PIECE_BYTES = env.int("POLKU_RESUMABLE_PIECE_BYTES", default=8 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads stream to a temporary file

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's in-process tasks log every page save at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
