"""Resumable uploads (tus 1.0, polku.uploads.resumable): a phone's video goes in pieces, a
dropped connection goes on from the last byte the server has, a piece sent twice changes
nothing, and what is not a file we take is refused at its first piece, in the person's
language. Someone else's upload answers 404."""

import base64
import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from polku.uploads.models import ResumableUpload, StoredFile
from polku.uploads.resumable import resumable_expired_delete
from tests.conftest import client_for, png_bytes, tus_send

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def _create(client, length, name="IMG_0001.MOV", language="en"):
    return client.post(
        "/uploads/",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=f"filename {base64.b64encode(name.encode()).decode()}",
        HTTP_ACCEPT_LANGUAGE=language,
        **TUS,
    )


def _patch(client, location, offset, data, **extra):
    return client.generic(
        "PATCH",
        location,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        HTTP_ACCEPT_LANGUAGE="en",
        **TUS,
        **extra,
    )


def _offset(client, location) -> int:
    reply = client.head(location, **TUS)
    assert reply.status_code == 200 and reply["Cache-Control"] == "no-store"
    return int(reply["Upload-Offset"])


@pytest.fixture
def person(world):
    user = world.participant.user
    return user, client_for(user)


def _video_like(size: int) -> bytes:
    """What a phone's MP4 begins with, then noise (the content is checked when it joins)."""
    return b"\x00\x00\x00\x18ftypmp42" + os.urandom(size - 12)


def test_a_cut_off_upload_goes_on_from_the_last_byte_the_server_has(person):
    user, client = person
    content = _video_like(300_000)
    location = _create(client, len(content))["Location"]
    assert _patch(client, location, 0, content[:100_000]).status_code == 204
    # The connection drops in the middle of the next piece: 50,000 of 150,000 bytes arrive.
    # (The server's input ends early, as gunicorn's does when the phone's connection drops.)
    cut = _patch(
        client,
        location,
        100_000,
        b"",
        CONTENT_LENGTH="150000",
        CONTENT_TYPE="application/offset+octet-stream",
        **{"wsgi.input": io.BytesIO(content[100_000:150_000])},
    )
    assert cut.status_code == 204
    assert _offset(client, location) == 150_000  # what arrived is kept
    assert _patch(client, location, 150_000, content[150_000:]).status_code == 204
    upload = ResumableUpload.objects.get(owner=user)
    with open(upload.path, "rb") as arrived:
        assert arrived.read() == content


def test_a_piece_sent_twice_changes_nothing_and_says_where_to_go_on(person):
    user, client = person
    content = _video_like(200_000)
    location = _create(client, len(content))["Location"]
    assert _patch(client, location, 0, content[:100_000]).status_code == 204
    again = _patch(client, location, 0, content[:100_000])  # the same piece, resent
    assert again.status_code == 409 and again["Upload-Offset"] == "100000"
    assert "incomplete" in again.content.decode()
    assert _offset(client, location) == 100_000
    assert _patch(client, location, 100_000, content[100_000:]).status_code == 204
    with open(ResumableUpload.objects.get(owner=user).path, "rb") as arrived:
        assert arrived.read() == content


def test_a_renamed_program_is_refused_at_its_first_piece_in_finnish(person):
    _user, client = person
    content = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(500_000)
    location = _create(client, len(content), name="video.mp4")["Location"]
    refused = client.generic(
        "PATCH",
        location,
        content[:100_000],
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        HTTP_ACCEPT_LANGUAGE="fi",
        **TUS,
    )
    assert refused.status_code == 415
    assert "Tällaista tiedostoa ei hyväksytä" in refused.content.decode()
    assert not ResumableUpload.objects.exists()  # nothing of it kept
    assert not os.listdir(os.path.dirname(_path_of(location)))


def _path_of(location):
    from django.conf import settings

    return os.path.join(
        settings.PRIVATE_MEDIA_ROOT, "resumable", location.rstrip("/").split("/")[-1]
    )


def test_a_file_larger_than_any_we_take_is_refused_before_a_byte_is_sent(person, settings):
    _user, client = person
    refused = _create(client, settings.POLKU_VIDEO_MAX_BYTES + 1)
    assert refused.status_code == 413
    assert "too large: at most 1024 MB" in refused.content.decode()
    assert not ResumableUpload.objects.exists()


def test_someone_elses_upload_answers_404_and_a_stranger_must_log_in(person, world):
    _user, client = person
    location = _create(client, 1000)["Location"]
    other = client_for(world.group_mate.user)
    assert other.head(location, **TUS).status_code == 404
    assert _patch(other, location, 0, b"\x00" * 10).status_code == 404
    assert other.delete(location, **TUS).status_code == 404
    assert client_for(None).head(location, **TUS).status_code == 302  # to the login page
    assert _offset(client, location) == 0


def test_an_old_client_is_told_the_version_and_the_server_says_what_it_offers(person):
    _user, client = person
    assert client.post("/uploads/", HTTP_UPLOAD_LENGTH="10").status_code == 412
    offer = client.options("/uploads/")
    assert offer.status_code == 204 and offer["Tus-Version"] == "1.0.0"
    assert "creation" in offer["Tus-Extension"] and "termination" in offer["Tus-Extension"]


def test_a_cancelled_upload_is_gone_with_its_bytes(person):
    _user, client = person
    location = _create(client, 1000)["Location"]
    _patch(client, location, 0, _video_like(500))
    assert client.delete(location, **TUS).status_code == 204
    assert client.head(location, **TUS).status_code == 404
    assert not os.path.exists(_path_of(location))


def test_unfinished_uploads_expire_after_a_day_and_their_bytes_are_deleted(person, settings):
    _user, client = person
    location = _create(client, 1000)["Location"]
    _patch(client, location, 0, _video_like(500))
    ResumableUpload.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.POLKU_RESUMABLE_HOURS, minutes=1)
    )
    assert client.head(location, **TUS).status_code == 404
    assert resumable_expired_delete() == 1
    assert not os.path.exists(_path_of(location))


def test_one_person_cannot_fill_the_disk_with_unfinished_uploads(person, settings):
    _user, client = person
    settings.POLKU_RESUMABLE_OPEN_MAX = 2
    assert _create(client, 1000).status_code == 201
    assert _create(client, 1000).status_code == 201
    third = _create(client, 1000)
    assert third.status_code == 429 and "Too many files" in third.content.decode()


def test_an_upload_joins_an_answer_once_even_when_the_reply_was_lost(world):
    """The page sends the file, then joins it to its part; joining again (the reply never
    came) is the same file, and an upload cut short cannot join."""
    from tests.assignments.conftest import AnswerForm

    form = AnswerForm(world)
    sent = tus_send(form.client, "kuva.png", png_bytes())
    first = form.join(sent.upload_id, client_key="k1")
    again = form.join(sent.upload_id, client_key="k1")
    assert first.status_code == again.status_code == 201
    assert first.json()["url"] == again.json()["url"]
    assert StoredFile.objects.count() == 1 and not ResumableUpload.objects.exists()

    short = _create(form.client, 10_000, name="cut.png")["Location"]
    _patch(form.client, short, 0, png_bytes()[:50])
    refused = form.join(short.rstrip("/").split("/")[-1], client_key="k2")
    assert refused.status_code == 400 and "incomplete" in refused.json()["error"]
    assert StoredFile.objects.count() == 1


def test_a_post_takes_files_sent_ahead_by_the_page(world, committed):
    from django.urls import reverse

    from workspaces.models import Post

    client = client_for(world.participant.user)
    sent = tus_send(client, "taulu.png", png_bytes())
    group = world.participant.small_group
    with committed():
        client.post(
            reverse("workspace", args=[world.cohort.slug, group.id]),
            {"body": "Tässä taulu", "uploads": [sent.upload_id], "client_key": "p1"},
        )
    post = Post.objects.get(client_key="p1")
    assert [f.stored_file.name for f in post.files.all()] == ["taulu.png"]
    assert not ResumableUpload.objects.exists()


def test_a_participant_cannot_post_someone_elses_upload(world):
    from django.urls import reverse

    from workspaces.models import Post

    sent = tus_send(client_for(world.group_mate.user), "hers.png", png_bytes())
    client = client_for(world.participant.user)
    group = world.participant.small_group
    page = client.post(
        reverse("workspace", args=[world.cohort.slug, group.id]),
        {"body": "Otan tämän", "uploads": [sent.upload_id], "client_key": "p2"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not Post.objects.get(client_key="p2").files.exists()
    assert "incomplete" in page.content.decode()
    assert ResumableUpload.objects.filter(owner=world.group_mate.user).exists()  # still hers


def test_a_photo_upload_sent_in_one_piece_is_the_same_as_in_many(world):
    from tests.assignments.conftest import AnswerForm

    form = AnswerForm(world)
    content = png_bytes(size=(400, 300))
    sent = tus_send(form.client, "board.png", content, piece=1000)
    assert form.join(sent.upload_id).status_code == 201
    stored = StoredFile.objects.get()
    assert stored.size == len(content)
