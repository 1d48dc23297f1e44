import io

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def scheduled_pages_publish() -> None:
    """Wagtail's scheduled publishing ("go live at" / "expire at") happens only when its
    publish_scheduled command runs; beat runs it every minute. Publishing a revision that is
    already live changes nothing, so a repeated run is harmless."""
    call_command("publish_scheduled", stdout=io.StringIO())
