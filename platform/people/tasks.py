"""Tasks take ids, read what they need again, and are safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def invitation_send(invitation_id: int) -> None:
    """Emails one invitation, once: a retry after a successful send does nothing."""
    from .services import invitation_token

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("membership__user", "membership__cohort__programme")
            .filter(id=invitation_id, sent_at=None, accepted_at=None)
            .first()
        )
        if invitation is None:
            return
        user = invitation.membership.user
        cohort = invitation.membership.cohort
        link = settings.SITE_URL + reverse("invitation_accept", args=[invitation_token(invitation)])
        with translation.override(user.language or cohort.language):
            context = {
                "user": user,
                "cohort": cohort,
                "link": link,
                "expires_at": invitation.expires_at,
            }
            subject = render_to_string("people/email/invitation_subject.txt", context).strip()
            body = render_to_string("people/email/invitation.txt", context)
        send_mail(subject, body, None, [user.email])
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    logger.info("invitation %s sent to user %s", invitation_id, user.id)


@shared_task
def sessions_clear() -> None:
    """Nightly housekeeping: drop expired login sessions."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("removed %s expired sessions", deleted)
