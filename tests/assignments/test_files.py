"""Photos and files on answers: checked by content, stored privately, served upright and
without EXIF, stored once however often a phone retries."""

import io
import zipfile
from pathlib import Path

import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from polku.uploads.models import ResumableUpload, StoredFile
from programmes.assignments.models import Answer, AnswerFile
from tests.conftest import client_for, png_bytes, tus_send


def jpeg_with_gps_rotated() -> bytes:
    """A 60x40 photo whose EXIF says "rotate 90°" (orientation 6) and carries GPS."""
    image = Image.new("RGB", (60, 40), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation
    exif[0x8825] = {1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def heic_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, format="HEIF")
    return out.getvalue()


def bomb_png() -> bytes:
    """A 1-bit PNG of 30,000 x 30,000 pixels: a few hundred kilobytes, 900 megapixels."""
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


REFUSED = {
    "renamed executable": (
        "photo.jpg",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000,
        "not accepted",
    ),
    "truncated photo": ("whiteboard.jpg", None, "damaged or incomplete"),
    "decompression bomb": ("huge.png", None, "too large in pixels"),
    "oversize photo": ("big.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (30 * 1024 * 1024), "too large"),
    "zip bomb posing as a Word file": ("notes.docx", None, "unpacks to far more"),
    "HTML posing as a PDF": (
        "slides.pdf",
        b"<html><script>alert(1)</script></html>",
        "not accepted",
    ),
}


def _refused_content(kind):
    name, content, message = REFUSED[kind]
    if kind == "truncated photo":
        content = jpeg_with_gps_rotated()[:300]
    elif kind == "decompression bomb":
        content = bomb_png()
    elif kind == "zip bomb posing as a Word file":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", b"\x00" * (250 * 1024 * 1024))
        content = out.getvalue()
    return name, content, message


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_refused_file_says_why_and_the_typed_answer_is_kept(kind, form):
    name, content, message = _refused_content(kind)
    part = "files" if name.endswith((".docx", ".pdf")) else "photos"
    form.autosave(0, "Tärkeä pohdinta, jota ei saa menettää.")
    response = form.upload(SimpleUploadedFile(name, content), part=part)
    assert message in form.refusal(response)
    assert not StoredFile.objects.exists()
    assert not ResumableUpload.objects.exists()  # nor its bytes kept anywhere
    answer = Answer.objects.get()
    assert answer.content[form.parts["text"].id] == "Tärkeä pohdinta, jota ei saa menettää."


def test_a_refused_file_on_a_plain_form_post_still_saves_the_text(form):
    page = form.post(0, "Teksti ensin", files=[SimpleUploadedFile("x.jpg", b"MZ" + b"0" * 100)])
    assert "not accepted" in page.content.decode()
    assert Answer.objects.get().content[form.parts["text"].id] == "Teksti ensin"


def test_a_pdf_is_refused_where_photos_are_asked_for(form):
    response = form.upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"), part="photos")
    assert "photos only" in form.refusal(response)


def test_an_iphone_heic_photo_is_accepted_and_shown_as_jpeg(form, world, committed):
    with committed():
        response = form.upload(SimpleUploadedFile("IMG_0001.HEIC", heic_bytes()))
    assert response.status_code == 201
    stored = StoredFile.objects.get()
    assert stored.content_type == "image/heic" and stored.state == "ready"
    served = b"".join(form.client.get(response.json()["url"]).streaming_content)
    assert Image.open(io.BytesIO(served)).format == "JPEG"
    assert pillow_heif  # registered: HEIC opens in the worker


def test_a_served_photo_is_upright_and_has_no_exif(form, committed):
    with committed():
        url = form.upload(SimpleUploadedFile("board.jpg", jpeg_with_gps_rotated())).json()["url"]
    for variant in ("", "?v=full"):
        response = form.client.get(url + variant)
        served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert served.size == (40, 60)  # turned upright
        assert not served.getexif()  # no GPS, no camera, nothing
    stored = StoredFile.objects.get()
    assert not stored.original  # the raw upload with its GPS is gone
    assert not list(Path(stored.full.storage.location).rglob("board.jpg"))


def test_a_photo_shows_a_placeholder_until_its_renditions_are_ready(form):
    url = form.upload(SimpleUploadedFile("board.png", png_bytes())).json()["url"]
    response = form.client.get(url)
    assert response["Content-Type"] == "image/svg+xml" and response["Cache-Control"] == "no-store"


def test_a_retried_upload_is_stored_once(form):
    first = form.upload(SimpleUploadedFile("a.png", png_bytes()), client_key="same")
    again = form.upload(SimpleUploadedFile("a.png", png_bytes()), client_key="same")
    assert first.json()["id"] == again.json()["id"]
    assert StoredFile.objects.count() == 1 and AnswerFile.objects.count() == 1


def test_a_part_takes_no_more_photos_than_it_asks_for(form):
    limit = form.parts["photos"].max_photos
    for n in range(limit):
        assert (
            form.upload(SimpleUploadedFile("p.png", png_bytes()), client_key=str(n)).status_code
            == 201
        )
    response = form.upload(SimpleUploadedFile("p.png", png_bytes()), client_key="one-more")
    assert response.status_code == 400 and f"at most {limit}" in response.json()["error"]


def test_files_are_private_and_downloads_carry_a_safe_name(form, world, settings):
    response = form.upload(
        SimpleUploadedFile('../../etc/"raportti" ääkköset.pdf', b"%PDF-1.4\n%%EOF"), part="files"
    )
    stored = StoredFile.objects.get()
    assert not str(stored.original.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        stored.original.url  # noqa: B018 - private storage has no public URL
    download = form.client.get(response.json()["url"])
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".." not in disposition and "/" not in disposition.split("filename")[1]
    assert stored.name.endswith(".pdf")


def test_a_group_mate_reads_a_submitted_answer_only_when_the_assignment_shares_it(world, form):
    form.post(0, "Jaettu vastaus", submit=True)
    answer = Answer.objects.get()
    url = reverse("answer_detail", args=[world.cohort.slug, answer.id])
    mate = client_for(world.group_mate.user)
    assert mate.get(url).status_code == 404
    assignment = world.assignment
    assignment.answers_shared_in_group = True
    assignment.save_revision().publish()
    assert mate.get(url).status_code == 200
    assert client_for(world.classmate.user).get(url).status_code == 404  # another group
    # Reading is not editing: the group mate's comment is refused.
    assert (
        mate.post(
            reverse("answer_comment", args=[world.cohort.slug, answer.id]), {"body": "hei"}
        ).status_code
        == 404
    )


def test_two_photos_with_the_same_name_from_a_plain_form_are_both_kept(form):
    """iPhones call every picked photo image.jpg; two of them can have the same size too."""

    def stored_png(color):  # no compression: the size depends on the dimensions only
        out = io.BytesIO()
        Image.new("RGB", (40, 30), color).save(out, format="PNG", compress_level=0)
        return out.getvalue()

    blue, almost_blue = stored_png((0, 0, 255)), stored_png((0, 0, 254))
    assert len(blue) == len(almost_blue) and blue != almost_blue
    form.post(
        0,
        "Kaksi kuvaa",
        files=[SimpleUploadedFile("image.jpg", blue), SimpleUploadedFile("image.jpg", almost_blue)],
    )
    assert AnswerFile.objects.count() == 2
    # The same form posted again (a double tap) adds nothing.
    answer = Answer.objects.get()
    form.post(answer.version, "Kaksi kuvaa", files=[SimpleUploadedFile("image.jpg", blue)])
    assert AnswerFile.objects.count() == 2


def test_a_files_remove_button_takes_it_off_the_answer_and_keeps_the_text(form):
    photo = form.upload(SimpleUploadedFile("pois.png", png_bytes())).json()
    version = Answer.objects.get().version
    page = form.post(version, "Teksti jää", remove_file=photo["id"]).content.decode()
    assert "pois.png" not in page
    answer = Answer.objects.get()
    assert not answer.files.filter(id=photo["id"], removed_at=None).exists()
    assert answer.content[form.parts["text"].id] == "Teksti jää"


def test_the_page_learns_a_photo_is_ready_from_its_state(form):
    """The photo shows a placeholder while processing; asked for JSON, its address says
    "processing" until the renditions exist, then "ready"."""
    url = form.upload(SimpleUploadedFile("board.png", png_bytes())).json()["url"]
    assert form.client.get(url, HTTP_ACCEPT="application/json").json()["state"] == "processing"
    from polku.uploads.tasks import stored_file_render

    stored_file_render(str(StoredFile.objects.get().id))
    assert form.client.get(url, HTTP_ACCEPT="application/json").json()["state"] == "ready"


def test_a_photo_upload_checks_its_limits_in_one_statement_and_attaches_once(form):
    """A phone sends photos one by one: each costs a few statements (the limit and the size
    counted together), and a retry of the same photo attaches nothing twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def photo():
        return SimpleUploadedFile("kuva.png", png_bytes(), "image/png")

    assert form.upload(photo(), client_key="first").status_code == 201
    sent = tus_send(form.client, "kuva.png", png_bytes())
    with CaptureQueriesContext(connection) as queries:
        assert form.join(sent.upload_id, client_key="second").status_code == 201
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 10, statements  # the upload taken and let go: two of them
    # The reply was lost on the way: the phone joins the same upload again.
    again = form.join(sent.upload_id, client_key="second")
    assert again.status_code == 201
    answer = Answer.objects.get(participant=form.membership)
    assert answer.files.filter(removed_at=None).count() == 2
