"""Email as it leaves Polku: through Django's SMTP backend to a real SMTP server on loopback
(aiosmtpd), read back from the bytes received, as a mail program would read them."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.urls import reverse

from polku.notifications.services import Topic, send_once
from tests.conftest import client_for


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://polku.example.fi"
    yield inbox
    controller.stop()


def _received(inbox, index=-1):
    _from, _to, content = inbox.messages[index]
    return email.message_from_bytes(content, policy=email.policy.default)


def test_a_reminder_arrives_with_both_parts_its_language_and_one_click_unsubscribe(smtp, world):
    user = world.participant.user
    user.language = "fi"
    user.save()
    sent = send_once(
        user,
        "smtp-test",
        "progress/email/due_soon",
        {"items": [], "cohort": world.cohort, "count": 0},
        topic=Topic.REMINDERS,
    )
    assert sent and len(smtp.messages) == 1
    message = _received(smtp)
    assert message["To"] == user.email
    assert message["Content-Language"] == "fi"
    assert message["Message-ID"].endswith("@polku.example.fi>")
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # folded when long
    assert unsubscribe.startswith("<https://polku.example.fi/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fi">' in html
    link = unsubscribe[1:-1]
    assert link in plain and f'href="{link}"' in html  # the same words, links clickable
    # The one-click unsubscribe (RFC 8058) works: a POST to the link, no login.
    path = link.removeprefix("https://polku.example.fi")
    assert client_for(None).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_an_invitation_to_a_training_day_carries_its_ics_as_outlook_expects(smtp, world, committed):
    day = world.cohort.training_days.order_by("starts_at").first()
    with committed():
        client_for(world.trainer.user).post(
            reverse("day_invitations", args=[world.cohort.slug, day.page_id])
        )
    people = world.cohort.memberships.filter(role__in=["participant", "trainer"]).count()
    assert len(smtp.messages) == people
    message = _received(smtp, 0)
    assert message["List-Unsubscribe"]  # a reminder about dates: one may stop them
    assert message["Content-Language"] in ("fi", "en")
    invite = next(part for part in message.iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_param("method") == "REQUEST"
    assert invite.get_filename() == "invite.ics"
    content = invite.get_content()
    text = content.decode() if isinstance(content, bytes) else content
    assert "METHOD:REQUEST" in text and "BEGIN:VTIMEZONE" in text
    assert f"UID:training-day-{day.id}@polku.example.fi" in text


def test_a_team_members_invitation_cannot_be_unsubscribed_but_has_its_language(
    smtp, world, committed
):
    """An invitation to answer a survey is not a mailing list: no List-Unsubscribe."""
    from django.utils import timezone

    from impact.instrument import coaching_survey_add
    from impact.models import SurveyWave, TeamInvitation
    from impact.tasks import team_invitations_send

    now = timezone.now()
    wave = SurveyWave.objects.create(
        cohort=world.cohort,
        page=coaching_survey_add(world.cohort.programme),
        kind="end",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    member = world.participant.team_members.create(email="tiimi@example.com")
    TeamInvitation.objects.create(wave=wave, member=member)
    team_invitations_send(wave.id)
    message = _received(smtp)
    assert message["To"] == "tiimi@example.com"
    assert message["List-Unsubscribe"] is None
    assert message["Content-Language"] == world.cohort.language
    assert message.get_body(("html",)) is not None
    assert mail.outbox == []  # it really went out over SMTP
