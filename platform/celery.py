"""The Celery app. Tasks live in each app's tasks.py and are found by autodiscovery.
The beat schedule is kept here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings.dev")

app = Celery("polku")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Lost rebuilds (live summaries, progress refreshes) are enqueued again within seconds.
    "coalesced-sweep": {
        "task": "polku.coalescing.coalesced_sweep",
        "schedule": 5,  # polku.coalescing.SWEEP_SECONDS
        "options": {"expires": 10},  # a sweep that waited in a queue is moot
    },
    "workspace-digests": {
        "task": "workspaces.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),  # in CELERY_TIMEZONE (Europe/Helsinki)
    },
    "publish-scheduled-pages": {
        "task": "programmes.tasks.scheduled_pages_publish",
        "schedule": 60,
    },
    "progress-calendar-tick": {
        "task": "programmes.progress.tasks.calendar_tick",
        "schedule": 5 * 60,
    },
    "progress-nightly-reconcile": {
        "task": "programmes.progress.tasks.progress_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "reminders": {
        "task": "programmes.progress.tasks.reminders_send",
        "schedule": 15 * 60,
    },
    "privacy-retention": {
        "task": "privacy.tasks.retention_sweep",
        "schedule": crontab(hour=3, minute=15),
    },
    "impact-waves": {
        "task": "impact.tasks.waves_tick",
        "schedule": 15 * 60,
    },
    "impact-weekly-reflections": {
        "task": "impact.tasks.reflection_reminders_send",
        "schedule": crontab(hour=14, minute=0, day_of_week="fri"),
    },
    "mentoring-tick": {
        "task": "mentoring.tasks.mentoring_tick",
        "schedule": 5 * 60,
    },
    "mentoring-figures": {
        "task": "mentoring.tasks.figures_refresh",
        "schedule": crontab(hour=4, minute=0),  # pace and missed check-ins move with the days
    },
    "mentoring-checkin-reminders": {
        "task": "mentoring.tasks.checkin_reminders_send",
        "schedule": crontab(hour=9, minute=0, day_of_week="wed"),
    },
    "live-commitment-reminders": {
        "task": "programmes.live.tasks.commitment_reminders_send",
        "schedule": crontab(hour=8, minute=30),
    },
    "clear-expired-sessions": {
        "task": "polku.people.tasks.sessions_clear",
        "schedule": 60 * 60 * 24,
    },
}
