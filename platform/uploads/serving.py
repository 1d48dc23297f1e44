"""The one way a private file leaves the server. Callers check access first."""

import re

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import StoredFile

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">'
    '<rect width="400" height="300" fill="#e8f3ee"/><text x="200" y="155" font-family="sans-serif"'
    ' font-size="20" text-anchor="middle" fill="#0b6e4f">{}</text></svg>'
)
CHUNK = 256 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def stored_file_response(request, stored: StoredFile) -> HttpResponse:
    """What `?v=` asks for: a photo's "display" or "full" rendition, a video's web copy
    ("video", with range requests, so a phone can seek), its captions ("captions") or its
    poster (the default), a placeholder while either is processed; or a document as a
    download. Always private, with a safe file name."""
    variant = request.GET.get("v", "display")
    if stored.kind == StoredFile.Kind.DOCUMENT:
        response = FileResponse(
            stored.original.open("rb"),
            as_attachment=True,
            filename=stored.name,
            content_type=stored.content_type,
        )
    elif stored.state != StoredFile.State.READY:
        if stored.state == StoredFile.State.FAILED:
            text = (
                _("This photo could not be read.")
                if stored.is_photo
                else _("This video could not be played.")
            )
        else:
            text = _("Processing the photo…") if stored.is_photo else _("Processing the video…")
        response = HttpResponse(PLACEHOLDER_SVG.format(escape(text)), content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response
    elif stored.is_video and variant == "video":
        response = range_response(request, stored.full, "video/mp4")
    elif stored.is_audio:
        response = range_response(request, stored.full, "audio/mp4")
    elif stored.is_video and variant == "captions":
        if not stored.captions:
            raise Http404
        response = FileResponse(stored.captions.open("rb"), content_type="text/vtt; charset=utf-8")
    else:
        rendition = stored.full if variant == "full" and stored.is_photo else stored.display
        stem = stored.name.rsplit(".", 1)[0]
        response = FileResponse(
            rendition.open("rb"),
            as_attachment=variant == "download",
            filename=f"{stem}.jpg",
            content_type="image/jpeg",
        )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def range_response(request, field, content_type: str) -> HttpResponse:
    """The file, or the one byte range the browser asks for (206), streamed a chunk at a time.
    Django's FileResponse answers every request whole; a phone's video player asks for ranges
    to start playing and to seek. Several ranges in one request are answered whole (players do
    not ask for them)."""
    size = field.size
    first, last = 0, size - 1
    match = RANGE.match(request.headers.get("Range", "").strip())
    partial = bool(match and (match[1] or match[2]))
    if partial:
        if match[1]:
            first, last = int(match[1]), min(int(match[2] or last), last)
        else:  # the last N bytes
            first = max(0, size - int(match[2]))
        if first > last or first >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response

    def chunks():
        with field.open("rb") as handle:
            handle.seek(first)
            left = last - first + 1
            while left > 0:
                data = handle.read(min(CHUNK, left))
                if not data:
                    return
                left -= len(data)
                yield data

    response = StreamingHttpResponse(chunks(), status=206 if partial else 200)
    response["Content-Type"] = content_type
    response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
