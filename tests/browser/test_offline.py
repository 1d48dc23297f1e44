"""Video and no network on a real phone-sized Chromium (issue 18): a video cut off halfway
goes on from where it stopped; an assignment the path kept is read and answered offline, and
the answer reaches the server when the network returns, the newer server text never
silently overwritten."""

import subprocess

import pytest
from django.urls import reverse

from programmes.assignments.models import Answer
from programmes.assignments.parts import answer_parts
from tests.browser.conftest import PHONE
from tests.browser.test_answering import _log_in
from tests.conftest import world_build
from tests.test_video import require_ffmpeg

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world():
    return world_build("o")  # before Playwright's event loop starts (see test_mobile.py)


@pytest.fixture
def addresses(world):
    """Read from the database before the browser starts."""
    assignment = world.assignment
    parts = {p.kind: p for p in answer_parts(assignment)}
    return {
        "path": reverse("cohort_path", args=[world.cohort.slug]),
        "assignment": reverse("cohort_assignment", args=[world.cohort.slug, assignment.id]),
        "files_part": parts["files"].id,
        "text_part": parts["text"].id,
    }


def _phone(browser, live_server, user):
    return _log_in(
        browser,
        live_server,
        user,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # wait_for_function evaluates its predicates
    )


def _network(cdp, *, offline: bool, upload_bytes_per_second: int = -1):
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": upload_bytes_per_second,
        },
    )


def test_a_video_cut_off_halfway_goes_on_from_where_it_stopped(
    world, addresses, browser, live_server, settings, tmp_path, screenshots
):
    require_ffmpeg()
    settings.POLKU_RESUMABLE_PIECE_BYTES = 256 * 1024  # a 3 MB video in a dozen pieces
    video = tmp_path / "IMG_0042.mp4"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=640x360:d=3:r=25"),
            *("-vf", "noise=alls=60:allf=t", "-c:v", "libx264", "-preset", "ultrafast"),
            *("-b:v", "6M", str(video)),
        ],
        check=True,
    )
    size = video.stat().st_size
    phone = _phone(browser, live_server, world.participant.user)
    cdp = phone.context.new_cdp_session(phone)
    phone.goto(live_server.url + addresses["assignment"])
    sent = []  # (method, Upload-Offset) of every tus request
    phone.on(
        "request",
        lambda r: "/uploads/" in r.url and sent.append((r.method, r.headers.get("upload-offset"))),
    )
    _network(cdp, offline=False, upload_bytes_per_second=600 * 1024)  # a phone's 5 Mbit/s
    phone.locator(f"input[data-part='{addresses['files_part']}']").set_input_files(str(video))
    phone.wait_for_function("document.querySelector('.uploads progress')?.value >= 25")
    _network(cdp, offline=True)  # into the lift: the connection drops mid-piece
    phone.wait_for_selector(".upload .meta:has-text('No connection')")
    phone.screenshot(path=screenshots / "video-upload-offline-360.png", full_page=True)
    phone.wait_for_timeout(1500)
    _network(cdp, offline=False)
    phone.wait_for_selector(".uploads video, .uploads img.thumb, .uploads [data-processing]")

    patches = [int(offset) for method, offset in sent if method == "PATCH"]
    creations = [m for m, _o in sent if m == "POST"]
    assert len(creations) == 1  # resumed, never begun again
    resumed_at = next(b for a, b in zip(patches, patches[1:], strict=False) if b <= a)
    assert 0 < resumed_at < size  # went on from what the server had
    answer = Answer.objects.get(participant=world.participant)
    stored = answer.files.get().stored_file
    assert stored.kind == "video" and stored.size == size
    phone.reload()
    phone.wait_for_selector("video.video")  # the worker made it playable
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=screenshots / "video-answer-360.png", full_page=True)


def test_an_assignment_kept_by_the_path_is_answered_offline_and_saved_when_back(
    world, addresses, browser, live_server, screenshots
):
    phone = _phone(browser, live_server, world.participant.user)
    phone.goto(live_server.url + addresses["path"])
    # The service worker takes the page over (clients.claim) and says when it has kept what
    # the path names: nothing is on its way when the network goes (a reload here would send
    # the pages to be kept a second time, still arriving as the connection drops).
    phone.wait_for_function("navigator.serviceWorker.controller !== null", polling=100)
    phone.wait_for_selector("body[data-pages-kept]", state="attached")
    kept = phone.evaluate(
        """url => caches.open("polku-pages").then(c => c.match(url)).then(Boolean)""",
        live_server.url + addresses["assignment"],
    )
    assert kept, "the worker said it kept the pages, but the assignment is not among them"

    phone.context.set_offline(True)
    phone.goto(live_server.url + addresses["assignment"])  # never opened before: kept
    phone.screenshot(path=screenshots / "offline-kept-assignment-360.png", full_page=True)
    heading = phone.locator("h1").first.inner_text()
    assert heading != "No connection", "the page the path named was not kept"
    banner = phone.locator("#offline-banner")
    banner.wait_for(state="visible")
    assert "You are offline" in banner.inner_text()
    text = phone.locator(f"#part-{addresses['text_part']}")
    text.fill("Kirjoitettu kellarissa ilman verkkoa.")
    phone.wait_for_selector(".save-state:has-text('No connection')")
    phone.wait_for_selector("#offline-banner:has-text('Waiting to be sent: 1 answer')")
    phone.screenshot(path=screenshots / "offline-answer-360.png", full_page=True)
    phone.reload()  # still offline: the kept page, and the typed text from this device
    assert text.input_value() == "Kirjoitettu kellarissa ilman verkkoa."

    phone.context.set_offline(False)
    phone.wait_for_selector(".save-state:has-text('Draft saved')", timeout=15_000)
    answer = Answer.objects.get(participant=world.participant)
    assert answer.content[addresses["text_part"]] == "Kirjoitettu kellarissa ilman verkkoa."
    banner.wait_for(state="hidden", timeout=10_000)


def test_a_newer_server_text_is_never_overwritten_by_what_was_typed_offline(
    world, addresses, browser, live_server
):
    from programmes.assignments import services

    phone = _log_in(browser, live_server, world.participant.user, viewport=PHONE, bypass_csp=True)
    phone.goto(live_server.url + addresses["assignment"])
    phone.context.set_offline(True)
    phone.locator(f"#part-{addresses['text_part']}").fill("Puhelimella junassa.")
    phone.wait_for_selector(".save-state:has-text('No connection')")
    # Meanwhile the same person saves from a laptop.
    membership, assignment = world.participant, world.assignment
    answer = services.answer_get_or_create(membership=membership, assignment=assignment)
    services.answer_save(
        answer=answer,
        user=membership.user,
        base_version=answer.version,
        content={addresses["text_part"]: "Läppärillä toimistolla."},
    )
    phone.context.set_offline(False)
    phone.wait_for_selector(".conflict:not([hidden])", timeout=15_000)
    assert "Läppärillä toimistolla." in phone.locator(".conflict").inner_text()
    answer.refresh_from_db()
    assert answer.content[addresses["text_part"]] == "Läppärillä toimistolla."  # untouched
    phone.get_by_role("button", name="Add it to mine").click()
    phone.get_by_role("button", name="Save my version with these changes").click()
    phone.wait_for_selector(".save-state:has-text('Draft saved')")
    answer.refresh_from_db()
    kept = answer.content[addresses["text_part"]]
    assert "Puhelimella junassa." in kept and "Läppärillä toimistolla." in kept


def test_a_photo_chosen_offline_waits_on_the_phone_and_goes_when_back(
    world, addresses, browser, live_server, tmp_path
):
    from tests.conftest import png_bytes

    photo = tmp_path / "taulu.png"
    photo.write_bytes(png_bytes((800, 600)))
    phone = _phone(browser, live_server, world.participant.user)
    phone.goto(live_server.url + addresses["assignment"])
    phone.context.set_offline(True)
    phone.locator("input[type=file]").first.set_input_files(str(photo))
    phone.wait_for_selector(".upload .meta:has-text('No connection')")
    phone.wait_for_selector("#offline-banner:has-text('Waiting to be sent: 1 file')")
    phone.context.set_offline(False)
    phone.wait_for_selector(".uploads img.thumb", timeout=15_000)
    answer = Answer.objects.get(participant=world.participant)
    assert answer.files.get().stored_file.name == "taulu.png"
    phone.wait_for_selector("#offline-banner", state="hidden", timeout=10_000)
