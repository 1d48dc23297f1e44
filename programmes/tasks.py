import io

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def scheduled_pages_publish() -> None:
    """Wagtail's scheduled publishing ("go live at" / "expire at") happens only when its
    publish_scheduled command runs; beat runs it every minute. Publishing a revision that is
    already live changes nothing, so a repeated run is harmless."""
    call_command("publish_scheduled", stdout=io.StringIO())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def day_invitations_send(schedule_id: int) -> int:
    """A training day's invitations (.ics), or their update or cancellation, to its people:
    each person gets each version once."""
    from .calendars import day_invitations_send as send

    return send(schedule_id)


@shared_task(acks_late=True)
def day_invitations_tick() -> int:
    """Sends again what a lost task did not (a worker killed mid-way, a broker restarted):
    every day whose people have not all had its current version."""
    from polku.coalescing import enqueue_after_commit

    from .calendars import day_invitations_pending

    pending = day_invitations_pending()
    for schedule_id in pending:
        enqueue_after_commit("programmes.tasks.day_invitations_send", [schedule_id])
    return len(pending)
