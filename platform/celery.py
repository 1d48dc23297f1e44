"""The Celery app. Tasks live in each app's tasks.py and are found by autodiscovery.
The beat schedule and the queue of each task are kept here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings.dev")

app = Celery("polku")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each kind of work has its own queue, so a slow kind never delays another: a live summary
# never waits behind photos being rendered or a morning's digests (docs/scaling.md). One
# worker takes every queue (the default); a bigger site starts workers per kind with -Q.
# The kinds are settings.QUEUE_KINDS.
TASK_KINDS = {
    # live: what a training day's room waits for, within seconds
    "programmes.live.tasks.summary_build": "live",
    "polku.coalescing.coalesced_sweep": "live",  # re-enqueues lost summaries: keep it prompt
    # progress: figures and rollups, and the periodic ticks that ask for them
    "programmes.progress.tasks.progress_refresh": "progress",
    "programmes.progress.tasks.cohort_reconcile": "progress",
    "programmes.progress.tasks.progress_nightly": "progress",
    "programmes.progress.tasks.calendar_tick": "progress",
    "programmes.tasks.scheduled_pages_publish": "progress",
    "impact.tasks.team_figures_build": "progress",
    "impact.tasks.wave_figures_build": "progress",
    "impact.tasks.waves_tick": "progress",
    "mentoring.tasks.programme_figures_build": "progress",
    "mentoring.tasks.figures_refresh": "progress",
    "mentoring.tasks.mentoring_tick": "progress",
    "privacy.tasks.retention_sweep": "progress",
    "polku.people.tasks.sessions_clear": "progress",
    # email: every message and the scans that send them
    "polku.people.tasks.invitation_send": "email",
    "programmes.tasks.day_invitations_send": "email",
    "programmes.tasks.day_invitations_tick": "email",
    "impact.tasks.team_invitations_send": "email",
    "impact.tasks.reflection_reminders_send": "email",
    "mentoring.tasks.coach_invitation_send": "email",
    "mentoring.tasks.pair_message_send": "email",
    "mentoring.tasks.checkin_reminders_send": "email",
    "programmes.assignments.tasks.assignment_reminders_send": "email",
    "programmes.assignments.tasks.review_comment_notify": "email",
    "programmes.live.tasks.commitment_reminders_send": "email",
    "programmes.progress.tasks.nudges_send": "email",
    "programmes.progress.tasks.reminder_send": "email",
    "programmes.progress.tasks.reminders_send": "email",
    "workspaces.tasks.activity_notify": "email",
    "workspaces.tasks.digests_send": "email",
    "workspaces.tasks.digest_batch_send": "email",
    # media: files turned into what is served or downloaded
    "polku.uploads.tasks.stored_file_render": "media",
    "polku.uploads.tasks.resumable_expired_sweep": "media",
    "privacy.tasks.export_build": "media",
}


def queue_name(kind: str) -> str:
    """'polku-live' and so on: named after the default queue, so that a test or a benchmark
    that sets its own default queue gets queues of its own."""
    return f"{app.conf.task_default_queue}-{kind}"


def task_route(name, args, kwargs, options, task=None, **kw):
    """Celery's router (CELERY_TASK_ROUTES): a task goes to its kind's queue."""
    return {"queue": queue_name(TASK_KINDS.get(name, "progress"))}


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
    "training-day-invitations": {
        "task": "programmes.tasks.day_invitations_tick",
        "schedule": 10 * 60,
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
    "unfinished-uploads": {
        "task": "polku.uploads.tasks.resumable_expired_sweep",
        "schedule": 60 * 60,
    },
    "clear-expired-sessions": {
        "task": "polku.people.tasks.sessions_clear",
        "schedule": 60 * 60 * 24,
    },
}
