"""Resumable uploads over tus 1.0 (https://tus.io/protocols/resumable-upload): core, creation,
termination and expiration. The browser's side is tus-js-client (static/vendor/), the
protocol's own, well-kept client. The server side is here because the Django servers for tus
are unmaintained (django-tus last supported Django 3.1) and the protocol's server is small:
a file that grows by the bytes each PATCH brings, at the offset the phone says it has sent.

A finished upload is not yet anything: the page hands it to where it belongs (an answer's
part, a post) by its id, and `resumable_file_take` gives it to `stored_file_create`, which
checks its content like any upload and moves it into place (no copy of a 1 GB file).

Walls: an upload belongs to the person who began it; anyone else's id answers 404. Only
people who can hand a file over (participants and trainers: answers, posts) may begin one."""

import base64
import binascii
import fcntl
import os
import uuid
from contextlib import ExitStack, contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import Http404, HttpResponse, UnreadablePostError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.people.models import Membership, Role

from .models import ResumableUpload
from .validation import UploadRefused, content_sniff, too_large

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
PIECE = 1024 * 1024  # read from the request and written a megabyte at a time


def _largest() -> int:
    return max(settings.POLKU_VIDEO_MAX_BYTES, settings.POLKU_UPLOAD_MAX_BYTES)


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    """Every tus answer names the protocol version and is never cached. A refusal's body is
    the reason in the person's language, which the page shows."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata: filename d2FsbC5tb3Y=,filetype dmlkZW8vcXVpY2t0aW1l`."""
    values = {}
    for pair in header.split(","):
        key, _space, encoded = pair.strip().partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            values[key] = ""
    return values


def _expires(upload: ResumableUpload):
    return upload.created_at + timedelta(hours=settings.POLKU_RESUMABLE_HOURS)


def _own(request, upload_id) -> ResumableUpload:
    upload = ResumableUpload.objects.filter(id=upload_id, owner=request.user).first()
    if upload is None or _expires(upload) < timezone.now():
        raise Http404
    return upload


@login_required
@require_http_methods(["OPTIONS", "POST"])
def resumable_create(request):
    if request.method == "OPTIONS":
        return _response(
            204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS, Tus_Max_Size=str(_largest())
        )
    if not Membership.objects.filter(
        user=request.user, role__in=[Role.PARTICIPANT, Role.TRAINER]
    ).exists():
        raise Http404
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, Tus_Version=VERSION)
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _response(400, _("The upload was incomplete. Try again."))
    if length > _largest():
        return _response(413, too_large(_largest()).message)
    if length <= 0:
        return _response(400, _("The file is empty."))
    stale = timezone.now() - timedelta(hours=settings.POLKU_RESUMABLE_HOURS)
    unfinished = ResumableUpload.objects.filter(owner=request.user, created_at__gte=stale)
    if unfinished.count() >= settings.POLKU_RESUMABLE_OPEN_MAX:
        return _response(
            429, _("Too many files are being sent at once. Wait for some to finish first.")
        )
    name = _metadata(request.headers.get("Upload-Metadata", "")).get("filename", "")
    upload = ResumableUpload.objects.create(owner=request.user, length=length, name=name[:200])
    os.makedirs(os.path.dirname(upload.path), exist_ok=True)
    open(upload.path, "wb").close()
    return _response(
        201,
        Location=reverse("resumable_upload", args=[upload.id]),
        Upload_Expires=http_date(_expires(upload).timestamp()),
    )


@login_required
@require_http_methods(["HEAD", "PATCH", "DELETE"])
def resumable_upload(request, upload_id):
    upload = _own(request, upload_id)
    if request.method == "HEAD":
        return _response(200, Upload_Offset=str(upload.offset), Upload_Length=str(upload.length))
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, Tus_Version=VERSION)
    if request.method == "DELETE":
        resumable_delete(upload)
        return _response(204)
    return _append(request, upload)


def _append(request, upload: ResumableUpload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _response(415, _("The upload was incomplete. Try again."))
    try:
        claimed = int(request.headers.get("Upload-Offset", ""))
        sent = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _response(400, _("The upload was incomplete. Try again."))
    with open(upload.path, "ab") as out:
        try:  # one PATCH at a time: a second tab sending the same file waits its turn
            fcntl.flock(out, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _response(409, _("This file is already being sent."))
        offset = out.tell()
        if claimed != offset:
            # The same piece sent twice, or a phone that lost count: it asks (HEAD) and goes
            # on from what the server has. Nothing already stored is touched.
            return _response(
                409, _("The upload was incomplete. Try again."), Upload_Offset=str(offset)
            )
        if offset + sent > upload.length:
            return _response(400, _("The upload was incomplete. Try again."))
        left = sent
        while left > 0:
            # A dropped connection ends the loop early: what arrived is kept, and the phone
            # resumes from there.
            try:
                piece = request.read(min(PIECE, left))
            except (OSError, UnreadablePostError):
                break
            if not piece:
                break
            out.write(piece)
            left -= len(piece)
        out.flush()
        offset = out.tell()
    if claimed == 0 and offset:
        refused = _refused_by_content(upload)
        if refused:
            resumable_delete(upload)
            return _response(415, refused)
    return _response(
        204, Upload_Offset=str(offset), Upload_Expires=http_date(_expires(upload).timestamp())
    )


def _refused_by_content(upload: ResumableUpload) -> str:
    """A renamed program is refused at its first piece, not after the phone has sent a
    gigabyte of it. The whole file is checked again when it is handed over."""
    with open(upload.path, "rb") as data:
        head = data.read(16)
    try:
        content_sniff(head)
    except UploadRefused as refused:
        return refused.message
    return ""


class ResumableFile(File):
    """A finished upload as Django's file: its `temporary_file_path` lets the private storage
    move it into place instead of copying, and lets ffprobe read it where it lies."""

    def __init__(self, upload: ResumableUpload):
        # Closed by `resumable_file` when the hand-over ends.
        super().__init__(open(upload.path, "rb"), name=upload.name or "file")  # noqa: SIM115
        self._path = upload.path

    def temporary_file_path(self) -> str:
        return self._path


@contextmanager
def resumable_file(*, owner, upload_id):
    """The finished upload with this id, for `stored_file_create`, which moves it into place;
    UploadRefused if it is not this person's or has not arrived whole. Afterwards the upload
    is gone, kept or refused: a retry of the hand-over finds the file already stored under
    its client key."""
    upload = ResumableUpload.objects.filter(id=upload_id, owner=owner).first()
    if upload is None or upload.offset != upload.length:
        raise UploadRefused(_("The upload was incomplete. Try again."))
    file = ResumableFile(upload)
    try:
        yield file
    finally:
        file.close()
        resumable_delete(upload)


@contextmanager
def resumable_files(*, owner, upload_ids):
    """Several finished uploads (a post's), as `resumable_file`: the files, and the reasons
    for those that cannot be used (an id that is not one, an upload cut short)."""
    with ExitStack() as stack:
        files, refused = [], []
        for upload_id in upload_ids:
            try:
                upload_id = uuid.UUID(str(upload_id))
                files.append(stack.enter_context(resumable_file(owner=owner, upload_id=upload_id)))
            except (ValueError, UploadRefused):
                refused.append(_("The upload was incomplete. Try again."))
        yield files, refused


def resumable_delete(upload: ResumableUpload) -> None:
    with suppress(FileNotFoundError):  # already moved into place, or never written
        os.remove(upload.path)
    upload.delete()


def resumable_expired_delete() -> int:
    """Unfinished uploads older than POLKU_RESUMABLE_HOURS: their bytes and their rows."""
    stale = timezone.now() - timedelta(hours=settings.POLKU_RESUMABLE_HOURS)
    expired = list(ResumableUpload.objects.filter(created_at__lt=stale))
    for upload in expired:
        resumable_delete(upload)
    return len(expired)
