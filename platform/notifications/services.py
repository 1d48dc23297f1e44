"""Sending an email at most once, and the link that stops a kind of email.

Every email Polku sends about activity or dates goes through `send_once`: it claims a
`Notice(user, key)` row first, so a task that runs twice, is retried, or dies half-way never
sends the same email twice. Invitations and review-thread notices are different: they belong
to one row of their own (an invitation, a comment) and record `sent_at` there."""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Notice, NotificationPreference

UNSUBSCRIBE_SALT = "polku.workspaces.unsubscribe"  # kept: links in sent emails stay valid


class Topic:
    """What an unsubscribe link stops."""

    ACTIVITY = "activity"  # posts and comments in the small group
    REMINDERS = "reminders"  # training days, due dates, the trainer's weekly list

    ALL = (ACTIVITY, REMINDERS)


def unsubscribe_token(user, topic: str = Topic.ACTIVITY) -> str:
    return signing.dumps([user.id, topic], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(user id, topic), or BadSignature."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not (isinstance(value, list) and len(value) == 2 and value[1] in Topic.ALL):
        raise signing.BadSignature
    user_id, topic = value
    return user_id, topic


def email_build(
    *,
    to: str,
    subject: str,
    body: str,
    language: str,
    unsubscribe_link: str = "",
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMultiAlternatives:
    """Every email Polku sends, in one shape: the plain text, the same text as HTML (links
    clickable, for the mail programs that show only HTML), the language it is written in, a
    Message-ID of Polku's own domain, and, for email one may stop, List-Unsubscribe with
    one-click unsubscribe (RFC 8058)."""
    headers = {
        "Content-Language": language,
        "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "polku"),
    }
    if unsubscribe_link:
        headers["List-Unsubscribe"] = f"<{unsubscribe_link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, body, to=[to], headers=headers)
    html = render_to_string(
        "email/message.html", {"subject": subject, "body": body, "language": language}
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def send_once(
    user,
    key: str,
    template: str,
    context: dict,
    topic: str | None,
    language: str = "",
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bool:
    """The one way Polku sends an email. Claims (user, key), then renders
    `template`_subject.txt and `template`.txt in the person's language (else `language`, the
    cohort's) and sends. A failed send gives the claim back for the retry, so a retry mails
    only those who did not get it. `topic` is the subscription the email belongs to (its
    unsubscribe link); None for one the person cannot opt out of (an invitation, a reply in
    their coaching thread, their data export)."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(user=user, key=key)
    except IntegrityError:
        return False  # sent already (or being sent by a task that died: at most once)
    link = (
        settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user, topic)])
        if topic
        else ""
    )
    language = user.language or language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "user": user,
            "unsubscribe_link": link,
            "preferences_link": settings.SITE_URL + reverse("notification_preferences"),
        }
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    message = email_build(
        to=user.email,
        subject=subject,
        body=body,
        language=language,
        unsubscribe_link=link,
        attachments=attachments,
    )
    try:
        message.send()
    except Exception:
        notice.delete()
        raise
    Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


def preference_set(*, user, mode: str | None = None, reminders: bool | None = None) -> None:
    """Changes what is given; leaves the rest as it was."""
    changes = {}
    if mode is not None:
        if mode not in NotificationPreference.Mode.values:
            raise ValidationError(_("Unknown choice."))
        changes["mode"] = mode
    if reminders is not None:
        changes["reminders"] = reminders
    NotificationPreference.objects.update_or_create(user=user, defaults=changes)


def unsubscribe(*, user, topic: str) -> None:
    if topic == Topic.REMINDERS:
        preference_set(user=user, reminders=False)
    else:
        preference_set(user=user, mode=NotificationPreference.Mode.NONE)


def activity_modes(users) -> dict[int, str]:
    modes = dict(
        NotificationPreference.objects.filter(user__in=users).values_list("user_id", "mode")
    )
    return {u.id: modes.get(u.id, NotificationPreference.Mode.DAILY) for u in users}


def reminders_unwanted(user_ids) -> set[int]:
    """Of these people, those who turned reminders off."""
    return set(
        NotificationPreference.objects.filter(user_id__in=user_ids, reminders=False).values_list(
            "user_id", flat=True
        )
    )
