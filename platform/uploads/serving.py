"""The one way a private file leaves the server. Callers check access first."""

from django.http import FileResponse, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import StoredFile

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">'
    '<rect width="400" height="300" fill="#e8f3ee"/><text x="200" y="155" font-family="sans-serif"'
    ' font-size="20" text-anchor="middle" fill="#0b6e4f">{}</text></svg>'
)


def stored_file_response(stored: StoredFile, *, variant: str = "display") -> HttpResponse:
    """A photo in its "display" or "full" rendition (a placeholder while it is processed), or
    a document as a download. Always private, with a safe file name."""
    if stored.kind == StoredFile.Kind.DOCUMENT:
        response = FileResponse(
            stored.original.open("rb"),
            as_attachment=True,
            filename=stored.name,
            content_type=stored.content_type,
        )
    elif stored.state != StoredFile.State.READY:
        response = HttpResponse(
            PLACEHOLDER_SVG.format(escape(_("Processing the photo…"))), content_type="image/svg+xml"
        )
        response["Cache-Control"] = "no-store"
        return response
    else:
        rendition = stored.full if variant == "full" else stored.display
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
