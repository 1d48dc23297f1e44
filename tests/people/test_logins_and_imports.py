"""Logins and invitations that cannot be turned against an account (issue 11: findings 2, 4,
5 and 11), and a CSV import that answers any file with a message, never a 500."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from polku.people.models import Membership, User
from polku.people.services import invitation_create, invitation_token, participants_import_csv
from tests.conftest import client_for, png_bytes
from tests.factories import PASSWORD


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_is_the_sites_rate_limited_login(world):
    user = world.trainer.user
    client = Client()
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _logged_in(client)
    # Wagtail sends people who are not logged in to the same place.
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))


def test_repeated_wrong_passwords_lock_the_login_even_for_the_right_one(world):
    user = world.participant.user
    client = Client()
    login = reverse("account_login")
    for _attempt in range(12):
        client.post(login, {"login": user.email, "password": "wrong-password"})
    client.post(login, {"login": user.email, "password": PASSWORD})
    assert not _logged_in(client)


def test_wagtails_own_password_reset_is_off(world):
    response = Client().post("/admin/password_reset/", {"email": world.participant.user.email})
    assert response.status_code in (302, 404)
    assert not mail.outbox


def test_an_invitee_who_never_joined_gets_no_reset_link(world, committed):
    participants_import_csv(cohort=world.cohort, data=b"name,email\nUusi Ihminen,uusi@x.test\n")
    mail.outbox.clear()

    def reset_links(email):
        with committed():
            Client().post(reverse("account_reset_password"), {"email": email})
        return [m for m in mail.outbox if email in m.to and "/password/reset/key/" in m.body]

    assert not reset_links("uusi@x.test")
    assert reset_links(world.participant.user.email)  # someone who has a password gets one


def test_an_invitation_never_sets_the_password_of_an_existing_account(world, other_world):
    """An organiser imports another organisation's person: the forwarded invitation must not
    let whoever holds it choose that person's password."""
    victim = world.participant.user
    report = participants_import_csv(
        cohort=other_world.cohort, data=f"name,email\nKuka Tahansa,{victim.email}\n".encode()
    )
    assert report.added == [victim.email]
    membership = Membership.objects.get(user=victim, cohort=other_world.cohort)
    invitation = membership.invitations.get()
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    stranger = Client()
    page = stranger.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'name="password1"' not in page.content
    chosen = "uusi-salasana-77"
    stranger.post(url, {"name": "X", "password1": chosen, "password2": chosen})
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
    assert not victim.check_password("uusi-salasana-77")
    assert not _logged_in(stranger)
    # The real person logs in with their own password, and the link takes them in.
    owner = client_for(victim)
    response = owner.get(url)
    assert response["Location"] == reverse("cohort_path", args=[other_world.cohort.slug])
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # and their name was not changed by the import
    victim.refresh_from_db()
    assert victim.get_full_name() != "Kuka Tahansa"


def test_an_import_never_adds_an_administrators_account(world, django_user_model):
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-password-1")
    report = participants_import_csv(
        cohort=world.cohort, data=f"name,email\nJuuri,{admin.email}\n".encode()
    )
    assert report.added == []
    assert report.errors and report.errors[0][0] == 2
    assert not Membership.objects.filter(user=admin).exists()


@pytest.mark.parametrize(
    "content",
    [
        png_bytes(),  # a picture renamed .csv
        b"PK\x03\x04" + bytes(range(256)) * 4,  # an .xlsx renamed
        "name,email\nÄäkkönen,a@x.test\n".encode("utf-16"),  # UTF-16 (NUL bytes)
        bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50,  # not cp1252 either
        b"\x00\x01\x02\x03" * 1000,
        b"name,email\n\x07\x08\x1b\x1b,a@x.test\n",  # control characters
    ],
)
def test_a_file_that_is_not_text_gets_a_message_in_the_persons_language(world, content):
    response = client_for(world.organiser.user).post(
        reverse("participants_import", args=[world.cohort.slug]),
        {"file": SimpleUploadedFile("people.csv", content, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 200
    assert "Tämä ei ole CSV-tiedosto" in response.content.decode()
    assert not User.objects.filter(email="a@x.test").exists()


def test_a_huge_file_is_refused_before_it_is_read(world):
    response = client_for(world.organiser.user).post(
        reverse("participants_import", args=[world.cohort.slug]),
        {"file": SimpleUploadedFile("people.csv", b"x" * (3 * 1024 * 1024))},
    )
    assert response.status_code == 200
    assert "Tiedosto on liian suuri" in response.content.decode()


def test_an_invitation_of_a_new_person_still_sets_their_first_password(world):
    participants_import_csv(cohort=world.cohort, data=b"name,email\nUusi Ihminen,uusi@x.test\n")
    membership = Membership.objects.get(user__email="uusi@x.test")
    url = reverse(
        "invitation_accept", args=[invitation_token(invitation_create(membership=membership))]
    )
    client = Client()
    chosen = "kesä-aurinko-2027"
    response = client.post(url, {"name": "Uusi Ihminen", "password1": chosen, "password2": chosen})
    assert response.status_code == 302
    assert _logged_in(client)
