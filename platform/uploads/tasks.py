import io
import logging
from pathlib import PurePath

from celery import shared_task
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .models import StoredFile

logger = logging.getLogger(__name__)
FULL_SIZE = 2560
DISPLAY_SIZE = 1200


def _jpeg(image: Image.Image, size: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((size, size))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=86, optimize=True)  # no exif= : nothing carried over
    return out.getvalue()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def stored_file_render(file_id: str) -> None:
    """Turns a photo upright, makes EXIF-free JPEG renditions, then deletes the raw upload.
    Runs again safely: a photo already ready is left alone."""
    stored = StoredFile.objects.filter(id=file_id, kind=StoredFile.Kind.PHOTO).first()
    if stored is None or stored.state == StoredFile.State.READY or not stored.original:
        return
    try:
        with stored.original.open("rb") as raw, Image.open(raw) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError):
        logger.exception("photo %s could not be read", file_id)
        StoredFile.objects.filter(id=file_id).update(state=StoredFile.State.FAILED)
        return
    stem = PurePath(stored.name).stem
    for field in (stored.full, stored.display):
        if field:
            field.delete(save=False)
    stored.full.save(f"{stem}.jpg", ContentFile(_jpeg(upright, FULL_SIZE)), save=False)
    stored.display.save(
        f"{stem}-display.jpg", ContentFile(_jpeg(upright, DISPLAY_SIZE)), save=False
    )
    stored.width, stored.height = upright.size
    raw_name = stored.original.name
    stored.original = ""
    stored.state = StoredFile.State.READY
    stored.save(update_fields=["full", "display", "width", "height", "original", "state"])
    stored.original.storage.delete(raw_name)
