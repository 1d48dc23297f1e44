"""Video by its content (ffprobe) and its web copy (ffmpeg), on real files that FFmpeg makes
here: a phone's MOV turned on its side with where it was shot, an audio-only file, a renamed
executable, a truncated video, one too long."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from polku.uploads.validation import UploadRefused
from polku.uploads.video import ffmpeg_available, video_probe, video_render

GPS = "+60.1699+024.9384/"  # Helsinki, as an iPhone writes it


def require_ffmpeg():
    if not ffmpeg_available():
        if os.environ.get("CI"):
            pytest.fail("CI must have ffmpeg (apt-get install ffmpeg)")
        pytest.skip("no ffmpeg: apt-get install ffmpeg")


@pytest.fixture(autouse=True)
def _ffmpeg():
    require_ffmpeg()


def _ffmpeg_make(path, *arguments):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *arguments, str(path)], check=True)
    return path


def _phone_mov(tmp_path, seconds=2):
    """A landscape 320x240 recording with sound, flagged as turned 90 degrees (as a phone held
    upright writes it) and carrying the place it was shot."""
    plain = _ffmpeg_make(
        tmp_path / "plain.mov",
        *("-f", "lavfi", "-i", f"testsrc=size=320x240:rate=25:duration={seconds}"),
        *("-f", "lavfi", "-i", f"sine=duration={seconds}"),
        *("-metadata", f"location={GPS}"),
        *("-metadata", f"com.apple.quicktime.location.ISO6709={GPS}"),
        *("-c:v", "libx264", "-c:a", "aac", "-movflags", "use_metadata_tags"),
    )
    return _ffmpeg_make(
        tmp_path / "IMG_0001.MOV",
        *("-i", str(plain), "-c", "copy", "-map_metadata", "0"),
        *("-metadata:s:v:0", "rotate=90", "-movflags", "use_metadata_tags"),
    )


def _described(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_a_phone_video_becomes_an_upright_h264_mp4_without_where_it_was_shot(tmp_path):
    source = _phone_mov(tmp_path)
    assert GPS.encode() in source.read_bytes()
    probe = video_probe(source)
    assert (probe.width, probe.height, probe.has_audio) == (240, 320, True)  # as shown
    assert 1.9 < probe.seconds < 2.2

    rendition, poster = tmp_path / "web.mp4", tmp_path / "poster.jpg"
    video_render(source, rendition, poster, probe)

    described = _described(rendition)
    video = next(s for s in described["streams"] if s["codec_type"] == "video")
    audio = next(s for s in described["streams"] if s["codec_type"] == "audio")
    assert (video["codec_name"], audio["codec_name"]) == ("h264", "aac")
    assert (video["width"], video["height"]) == (240, 320)  # upright ...
    assert "side_data_list" not in video and "rotate" not in video.get("tags", {})  # ... for all
    assert GPS.encode() not in rendition.read_bytes()
    tags = [described["format"].get("tags", {})] + [s.get("tags", {}) for s in described["streams"]]
    assert not [key for found in tags for key in found if "location" in key.lower()]
    data = rendition.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # plays while it loads
    assert poster.read_bytes().startswith(b"\xff\xd8\xff")  # a JPEG


def test_a_large_video_is_made_at_most_720p_and_keeps_its_shape(tmp_path):
    source = _ffmpeg_make(
        tmp_path / "wide.mp4",
        *("-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=25:duration=1"),
        *("-c:v", "libx264", "-preset", "ultrafast"),
    )
    probe = video_probe(source)
    assert not probe.has_audio  # a silent video is a video
    video_render(source, tmp_path / "web.mp4", tmp_path / "poster.jpg", probe)
    video = _described(tmp_path / "web.mp4")["streams"][0]
    assert (video["width"], video["height"]) == (1280, 720)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("audio", "sound but no picture"),
        ("exe", "not a video"),
        ("truncated", "not a video"),
        ("long", "The video is too long: at most 1 minute."),
    ],
)
def test_what_is_not_a_playable_video_is_told_why(tmp_path, make, message, settings):
    translation.activate("en")
    if make == "audio":
        path = _ffmpeg_make(
            tmp_path / "voice.m4a", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac"
        )
    elif make == "exe":
        path = tmp_path / "video.mp4"
        path.write_bytes(b"MZ\x90\x00" + os.urandom(4096))  # a Windows program, renamed
    elif make == "truncated":
        whole = _phone_mov(tmp_path).read_bytes()
        path = tmp_path / "cut.mov"
        path.write_bytes(whole[: len(whole) // 3])  # the index is at the end: gone
    else:
        settings.POLKU_VIDEO_MAX_SECONDS = 60
        path = _phone_mov(tmp_path, seconds=61)
    with pytest.raises(UploadRefused) as refused:
        video_probe(path)
    assert message in refused.value.message


def _stored_video(tmp_path, user, source=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from polku.uploads.services import stored_file_create

    source = source or _phone_mov(tmp_path)
    upload = SimpleUploadedFile("IMG_0001.MOV", source.read_bytes(), "video/quicktime")
    stored, created = stored_file_create(
        owner=user, upload=upload, client_key="video-1", kinds=frozenset({"video"})
    )
    assert created
    return stored


@pytest.mark.django_db
def test_a_stored_video_turns_ready_only_with_its_web_copy_and_poster(tmp_path, settings):
    from polku.uploads.tasks import stored_file_render
    from tests.factories import UserFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    stored = _stored_video(tmp_path, UserFactory())
    assert (stored.kind, stored.state, stored.name) == ("video", "processing", "IMG_0001.mp4")
    assert not stored.full and not stored.display  # nothing to show yet
    original = stored.original.path

    stored_file_render(str(stored.id))
    stored.refresh_from_db()
    assert stored.state == "ready" and (stored.width, stored.height) == (240, 320)
    assert 1.9 < stored.seconds < 2.2
    copy = _described(stored.full.path)
    assert copy["streams"][0]["codec_name"] == "h264"
    assert GPS.encode() not in Path(stored.full.path).read_bytes()
    assert Path(stored.display.path).read_bytes()[:3] == b"\xff\xd8\xff"
    assert not stored.original and not os.path.exists(original)  # where it was shot: gone

    stored_file_render(str(stored.id))  # again (a redelivered task): nothing changes
    stored.refresh_from_db()
    assert stored.state == "ready"


@pytest.mark.django_db
def test_a_video_that_cannot_be_played_fails_and_is_never_shown_as_ready(tmp_path, settings):
    from polku.uploads.tasks import stored_file_render
    from tests.factories import UserFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    stored = _stored_video(tmp_path, UserFactory())
    with open(stored.original.path, "wb") as damaged:  # broken after it was accepted
        damaged.write(b"\x00\x00\x00\x18ftypqt  " + os.urandom(50_000))
    stored_file_render(str(stored.id))
    stored.refresh_from_db()
    assert stored.state == "failed" and not stored.full and not stored.display


@pytest.mark.django_db
def test_the_original_is_kept_privately_when_the_setting_says_so(tmp_path, settings):
    from polku.uploads.tasks import stored_file_render
    from tests.factories import UserFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.POLKU_VIDEO_KEEP_ORIGINAL = True
    stored = _stored_video(tmp_path, UserFactory())
    stored_file_render(str(stored.id))
    stored.refresh_from_db()
    assert stored.state == "ready" and os.path.exists(stored.original.path)


@pytest.mark.django_db
def test_a_video_is_refused_where_only_photos_and_documents_are_taken(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from polku.uploads.validation import upload_check

    translation.activate("en")
    upload = SimpleUploadedFile("clip.mov", _phone_mov(tmp_path).read_bytes())
    with pytest.raises(UploadRefused) as refused:
        upload_check(upload)  # the answer parts and posts of today
    assert "not accepted" in refused.value.message


@pytest.mark.django_db
def test_a_groups_video_plays_in_its_feed_with_a_poster_and_seeks_by_range(
    world, tmp_path, settings
):
    """A video in a post shows as a player with its poster; the web copy is served privately
    with range requests (a phone's player asks for ranges to start and to seek); another
    small group's member gets 404."""
    from django.urls import reverse

    from polku.uploads.tasks import stored_file_render
    from tests.conftest import client_for, post_build
    from workspaces.models import PostFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    post = post_build(world, body="Roolileikki")
    video = _stored_video(tmp_path, world.participant.user)
    post_file = PostFile.objects.create(post=post, stored_file=video)
    url = reverse("post_file", args=[world.cohort.slug, post.small_group_id, post.id, post_file.id])
    mate = client_for(world.group_mate.user)
    feed = reverse("workspace", args=[world.cohort.slug, post.small_group_id])
    translation.activate("en")
    assert "Processing the video" in mate.get(feed, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    stored_file_render(str(video.id))
    html = mate.get(feed).content.decode()
    assert f'poster="{url}" src="{url}?v=video"' in html
    assert b"".join(mate.get(url).streaming_content)[:3] == b"\xff\xd8\xff"  # the poster
    whole = b"".join(mate.get(url, {"v": "video"}).streaming_content)
    ranged = mate.get(url, {"v": "video"}, HTTP_RANGE="bytes=100-199")
    assert ranged.status_code == 206 and ranged["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert b"".join(ranged.streaming_content) == whole[100:200]
    tail = mate.get(url, {"v": "video"}, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == whole[-10:]
    assert mate.get(url, {"v": "video"}, HTTP_RANGE=f"bytes={len(whole)}-").status_code == 416
    assert "private" in ranged["Cache-Control"]
    assert client_for(world.classmate.user).get(url, {"v": "video"}).status_code == 404


def test_the_worker_lets_the_longest_video_finish(settings):
    """Celery's default limits are for quick tasks: the render task's own are longer than
    ffmpeg may take for the longest video accepted, or a long video would be killed halfway
    at every redelivery."""
    from polku.uploads.tasks import stored_file_render

    longest = settings.POLKU_VIDEO_MAX_SECONDS * settings.POLKU_VIDEO_SECONDS_PER_SECOND
    assert stored_file_render.soft_time_limit > longest
    assert stored_file_render.time_limit > stored_file_render.soft_time_limit
    assert longest > settings.CELERY_TASK_TIME_LIMIT  # why the task needs its own


@pytest.mark.django_db
def test_a_render_lost_with_its_worker_is_taken_up_again_but_a_running_one_is_left_alone(
    tmp_path, settings
):
    """A worker killed in the middle of a video, or a message lost with the broker: the sweep
    asks again. A long video still rendering keeps its claim fresh and is never rendered
    twice at once."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from polku.coalescing import coalesced_sweep
    from polku.uploads import tasks, video
    from polku.uploads.models import StoredFile
    from tests.factories import UserFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    stored = _stored_video(tmp_path, UserFactory())  # its message never reached a worker
    assert coalesced_sweep() == 0  # a fresh wish may still be on its way
    StoredFile.objects.filter(id=stored.id).update(
        render_wanted_at=timezone.now() - timedelta(seconds=31)
    )
    # Another worker took it up 10 s ago and is still at it: left alone.
    StoredFile.objects.filter(id=stored.id).update(
        render_wanted_at=None, render_since=timezone.now() - timedelta(seconds=10)
    )
    assert coalesced_sweep() == 0
    tasks.stored_file_render(str(stored.id))  # a duplicate message: it does not render
    stored.refresh_from_db()
    assert stored.state == "processing"
    # That worker was killed: its claim goes stale and the sweep renders it.
    StoredFile.objects.filter(id=stored.id).update(
        render_since=timezone.now() - timedelta(seconds=91)
    )
    assert coalesced_sweep() == 1
    stored.refresh_from_db()
    assert stored.state == "ready" and stored.render_since is None

    # While ffmpeg works, the render says it is alive (a tiny heartbeat here).
    beats = []
    with mock.patch.object(video, "HEARTBEAT_SECONDS", 0.05):
        source = _phone_mov(tmp_path, seconds=3)
        probe = video.video_probe(source)
        video.video_render(
            source, tmp_path / "w.mp4", tmp_path / "p.jpg", probe, alive=lambda: beats.append(1)
        )
    assert beats


@pytest.mark.django_db
def test_the_sender_adds_captions_that_play_with_the_video_and_nobody_else_can(
    world, tmp_path, settings
):
    """Captions from the video's sender, WebVTT or SubRip (turned into WebVTT), play as a
    track wherever the video shows; a binary file is refused with a message; anyone else
    adding captions to the video gets 404, and another group cannot read them."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from polku.uploads.tasks import stored_file_render
    from tests.conftest import client_for, post_build
    from workspaces.models import PostFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    post = post_build(world, body="Roolileikki")
    video = _stored_video(tmp_path, world.participant.user)
    stored_file_render(str(video.id))
    post_file = PostFile.objects.create(post=post, stored_file=video)
    url = reverse("post_file", args=[world.cohort.slug, post.small_group_id, post.id, post_file.id])
    feed = reverse("workspace", args=[world.cohort.slug, post.small_group_id])
    captions_url = reverse("stored_file_captions", args=[video.id])
    owner, mate = client_for(world.participant.user), client_for(world.group_mate.user)
    assert "Add captions" in owner.get(feed, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add captions" not in mate.get(feed, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    srt = "1\r\n00:00:00,500 --> 00:00:01,800\r\nHyvää huomenta!\r\n"
    page = owner.post(
        captions_url,
        {"captions": SimpleUploadedFile("puhe.srt", srt.encode()), "next": feed},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Captions added." in page.content.decode()
    html = mate.get(feed).content.decode()
    assert f'<track kind="captions" src="{url}?v=captions"' in html
    served = mate.get(url, {"v": "captions"})
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    vtt = b"".join(served.streaming_content).decode()
    assert vtt.startswith("WEBVTT") and "00:00:00.500 --> 00:00:01.800" in vtt
    assert client_for(world.classmate.user).get(url, {"v": "captions"}).status_code == 404

    binary = SimpleUploadedFile("puhe.vtt", b"\x00\xff\xfe" + os.urandom(100))
    page = owner.post(
        captions_url, {"captions": binary, "next": feed}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Captions must be a WebVTT or SRT text file." in page.content.decode()
    assert "Hyvää huomenta" in b"".join(mate.get(url, {"v": "captions"}).streaming_content).decode()
    other = mate.post(captions_url, {"captions": SimpleUploadedFile("x.vtt", b"WEBVTT\n")})
    assert other.status_code == 404
