"""Tasks take ids, read what they need again, and are safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from polku.notifications.services import send_once

from .models import Invitation

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def invitation_send(invitation_id: int) -> None:
    """Emails one invitation, once (send_once's claim): a retry after a successful send does
    nothing, one after a failed send tries again."""
    from .services import invitation_token

    invitation = (
        Invitation.objects.select_related("membership__user", "membership__cohort")
        .filter(id=invitation_id, accepted_at=None)
        .first()
    )
    if invitation is None:
        return
    user = invitation.membership.user
    cohort = invitation.membership.cohort
    link = settings.SITE_URL + reverse("invitation_accept", args=[invitation_token(invitation)])
    send_once(
        user,
        f"invitation:{invitation.id}",
        "people/email/invitation",
        {"cohort": cohort, "link": link, "expires_at": invitation.expires_at},
        topic=None,
        language=cohort.language,
    )
    Invitation.objects.filter(id=invitation_id, sent_at=None).update(sent_at=timezone.now())
    logger.info("invitation %s sent to user %s", invitation_id, user.id)


@shared_task
def sessions_clear() -> None:
    """Nightly housekeeping: drop expired login sessions."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("removed %s expired sessions", deleted)
