"""Inviting a cohort by CSV, and joining through the invitation link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from polku.people.models import Invitation, Membership, Role, User
from polku.people.services import (
    invitation_create,
    invitation_token,
    participants_import_csv,
)
from tests.conftest import client_for

GOOD_CSV = (
    "name,email,group\n"
    "Aino Virtanen,aino@example.com,Ryhmä Aalto\n"
    "Eero Korhonen,EERO@example.com,Ryhmä Kallio\n"
)


@pytest.fixture
def upload(committed):
    def post_csv(world, content: bytes, filename="people.csv"):
        """Uploads the file, sees the preview, and confirms it."""
        client = client_for(world.organiser.user)
        preview = client.post(
            reverse("participants_import", args=[world.cohort.slug]),
            {"file": SimpleUploadedFile(filename, content, content_type="text/csv")},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        token = re.search(r'name="data" value="([^"]+)"', preview.content.decode())
        if token is None:
            return preview  # nothing to confirm: the preview says why
        with committed():
            return client.post(
                reverse("participants_import_confirm", args=[world.cohort.slug]),
                {"data": token.group(1)},
                HTTP_ACCEPT_LANGUAGE="en",
            )

    return post_csv


def test_good_rows_become_participants_in_their_small_groups_and_get_an_email(world, upload):
    response = upload(world, GOOD_CSV.encode())
    assert response.status_code == 200
    assert "2 people invited" in response.content.decode()
    aino = Membership.objects.get(user__email="aino@example.com", cohort=world.cohort)
    assert aino.role == Role.PARTICIPANT
    assert aino.small_group.name == "Ryhmä Aalto"
    assert aino.user.get_full_name() == "Aino Virtanen"
    assert not aino.user.has_usable_password()
    assert Membership.objects.filter(user__email="eero@example.com").exists()  # lower-cased
    assert sorted(m.to[0] for m in mail.outbox) == ["aino@example.com", "eero@example.com"]
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_are_kept(world, upload):
    content = (
        "name,email,group\n"
        "Aino Virtanen,aino@example.com,A\n"
        "Ei Sähköpostia,not-an-email,A\n"
        ",nameless@example.com,B\n"
        "Aino Again,aino@example.com,B\n"
        "Eero Korhonen,eero@example.com,B\n"
    )
    html = upload(world, content.encode()).content.decode()
    assert "2 people invited" in html
    assert "Line 3" in html and "not-an-email" in html
    assert "Line 4" in html and "name is missing" in html
    assert "Line 5" in html and "earlier line" in html
    assert set(
        Membership.objects.filter(cohort=world.cohort, role=Role.PARTICIPANT).values_list(
            "user__email", flat=True
        )
    ) >= {"aino@example.com", "eero@example.com"}
    assert not User.objects.filter(email="nameless@example.com").exists()


def test_uploading_the_same_file_twice_creates_and_invites_nobody_twice(world, upload):
    upload(world, GOOD_CSV.encode())
    html = upload(world, GOOD_CSV.encode()).content.decode()
    assert "2 are already in the cohort and are not invited again" in html
    assert "No one new to invite" in html
    assert User.objects.filter(email__in=["aino@example.com", "eero@example.com"]).count() == 2
    assert (
        Membership.objects.filter(cohort=world.cohort, user__email="aino@example.com").count() == 1
    )
    assert len(mail.outbox) == 2


def test_excel_finnish_csv_with_semicolons_and_cp1252_is_read(world):
    content = "Nimi;Sähköposti;Ryhmä\nPäivi Mäkelä;paivi@example.com;Järvi\n"
    report = participants_import_csv(cohort=world.cohort, data=content.encode("cp1252"))
    assert report.added == ["paivi@example.com"] and not report.errors
    membership = Membership.objects.get(user__email="paivi@example.com")
    assert membership.user.get_full_name() == "Päivi Mäkelä"
    assert membership.small_group.name == "Järvi"


def test_a_file_without_the_columns_is_refused_with_a_reason(world):
    report = participants_import_csv(cohort=world.cohort, data=b"foo,bar\n1,2\n")
    assert report.errors and report.errors[0][0] == 1 and not report.added


def test_nothing_is_emailed_before_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        participants_import_csv(cohort=world.cohort, data=GOOD_CSV.encode())
    invitations = [c for c in callbacks if getattr(c, "task", "").endswith("invitation_send")]
    assert len(invitations) == 2 and mail.outbox == []


def test_the_invitation_email_is_in_the_cohorts_language(world, committed):
    world.cohort.language = "fi"
    world.cohort.save()
    with committed():
        participants_import_csv(cohort=world.cohort, data=GOOD_CSV.encode())
    assert "Sinut on kutsuttu" in mail.outbox[0].subject


def _accept_url(membership):
    return reverse(
        "invitation_accept", args=[invitation_token(invitation_create(membership=membership))]
    )


def test_joining_sets_the_password_and_logs_in(world, client):
    participants_import_csv(cohort=world.cohort, data=GOOD_CSV.encode())
    membership = Membership.objects.get(user__email="aino@example.com")
    url = _accept_url(membership)
    response = client.post(
        url,
        {
            "name": "Aino Virtanen",
            "password1": "kesä-aurinko-2027",
            "password2": "kesä-aurinko-2027",
        },
    )
    assert response["Location"] == reverse("cohort_path", args=[world.cohort.slug])
    assert client.get(response["Location"]).status_code == 200
    membership.user.refresh_from_db()
    assert membership.user.check_password("kesä-aurinko-2027")
    # The link is used up.
    response = client_for(None).get(url)
    assert response["Location"] == reverse("account_login")


def test_an_expired_invitation_says_so_in_the_persons_language(world):
    invitation = invitation_create(membership=world.group_mate)
    Invitation.objects.filter(id=invitation.id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client_for(None).get(
        reverse("invitation_accept", args=[invitation_token(invitation)]),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 410
    assert "vanhentunut" in response.content.decode()


def test_a_garbled_link_is_404_with_a_message(db):
    response = client_for(None).get(
        reverse("invitation_accept", args=["not-a-token"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize(
    "password,message", [("short", "too short"), ("password123", "too common")]
)
def test_a_weak_password_is_refused_and_nothing_changes(world, password, message):
    participants_import_csv(cohort=world.cohort, data=GOOD_CSV.encode())
    membership = Membership.objects.get(user__email="aino@example.com")
    url = _accept_url(membership)
    response = client_for(None).post(
        url, {"name": "X", "password1": password, "password2": password}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    membership.user.refresh_from_db()
    assert not membership.user.check_password(password)
    assert not membership.user.has_usable_password()


def test_an_organiser_sends_a_new_invitation_to_someone_who_has_not_joined(world, committed):
    participants_import_csv(cohort=world.cohort, data=GOOD_CSV.encode())
    membership = Membership.objects.get(user__email="aino@example.com")
    Invitation.objects.filter(membership=membership).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    with committed():
        client_for(world.organiser.user).post(
            reverse("invitation_resend", args=[world.cohort.slug, membership.id])
        )
    assert [m.to for m in mail.outbox] == [["aino@example.com"]]
    fresh = Invitation.objects.get(membership=membership)
    assert not fresh.is_expired


def test_sending_the_same_invitation_twice_sends_one_email(world):
    from polku.people.tasks import invitation_send

    invitation = invitation_create(membership=world.group_mate)
    invitation_send(invitation.id)
    invitation_send(invitation.id)
    assert len(mail.outbox) == 1


def test_the_preview_shows_what_would_happen_and_nothing_happens_before_confirming(world):
    client = client_for(world.organiser.user)
    content = (
        "name,email,group\n"
        "Aino Virtanen,aino@example.com,Group 1\n"
        "Eero Korhonen,eero@example.com,Grop 1\n"  # a typo: a group nobody meant
        "Ei Osoitetta,not-an-email,Group 1\n"
    )
    preview = client.post(
        reverse("participants_import", args=[world.cohort.slug]),
        {"file": SimpleUploadedFile("people.csv", content.encode(), content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "2 new people will be invited" in preview
    assert "will be created:" in preview
    assert "<strong>Grop 1</strong>" in preview  # the typo is shown, not created
    assert "Line 4" in preview and "is not an email address" in preview
    assert not User.objects.filter(email="aino@example.com").exists()
    assert not mail.outbox
    # A tampered preview is refused: confirming imports only what was signed.
    refused = client.post(
        reverse("participants_import_confirm", args=[world.cohort.slug]), {"data": "forged"}
    )
    assert refused.status_code == 302 and not User.objects.filter(email="aino@example.com")


def test_the_organiser_downloads_a_csv_to_fill_in(world):
    response = client_for(world.organiser.user).get(
        reverse("participants_import_template", args=[world.cohort.slug]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    assert text.decode("utf-8-sig").splitlines()[0] == "name,email,group"


def test_a_finnish_excel_file_keeps_its_letters_from_preview_to_import(world, upload):
    content = "nimi;sähköposti;ryhmä\nÄijä Öhman;aija@example.com;Ryhmä Ä\n".encode("cp1252")
    upload(world, content)
    member = Membership.objects.get(user__email="aija@example.com")
    assert member.user.get_full_name() == "Äijä Öhman"
    assert member.small_group.name == "Ryhmä Ä"
