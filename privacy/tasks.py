from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=10 * 60,  # a person with hundreds of photos
    time_limit=11 * 60,
)
def export_build(export_id: int) -> None:
    services.export_build(export_id)


@shared_task(acks_late=True)
def retention_sweep() -> dict:
    """Daily (beat): retention warnings and anonymisation, and expired exports removed."""
    return services.retention_sweep(timezone.now())
