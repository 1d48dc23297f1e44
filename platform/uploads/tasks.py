import io
import logging
import shutil
import tempfile
from pathlib import Path, PurePath

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageOps

from .models import StoredFile
from .validation import UploadRefused
from .video import VideoFailed, audio_render, video_probe, video_render

logger = logging.getLogger(__name__)
FULL_SIZE = 2560
DISPLAY_SIZE = 1200


def _jpeg(image: Image.Image, size: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((size, size))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=86, optimize=True)  # no exif= : nothing carried over
    return out.getvalue()


# The longest video ffmpeg may work on (video.video_render stops it then), and a margin: the
# worker's default limits (CELERY_TASK_TIME_LIMIT) are for quick tasks and would kill a long
# video's processing halfway, again at every redelivery.
RENDER_SECONDS = settings.POLKU_VIDEO_MAX_SECONDS * settings.POLKU_VIDEO_SECONDS_PER_SECOND + 120


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=RENDER_SECONDS,
    time_limit=RENDER_SECONDS + 30,
)
def stored_file_render(file_id: str) -> None:
    """Turns a photo upright, makes EXIF-free JPEG renditions, then deletes the raw upload; or
    makes a video's web copy and poster. Runs again safely: a file already ready (or failed)
    is left alone, and a file another worker is rendering is left to it."""
    from .services import RENDERS

    stored = StoredFile.objects.filter(id=file_id).exclude(kind=StoredFile.Kind.DOCUMENT).first()
    if stored is None or stored.state != StoredFile.State.PROCESSING or not stored.original:
        return
    if not RENDERS.claim(stored.pk, timezone.now()):
        return  # rendering elsewhere; the sweep comes back if that worker died
    with RENDERS.holding(stored.pk):
        if stored.kind in (StoredFile.Kind.VIDEO, StoredFile.Kind.AUDIO):
            _video_render(stored, alive=lambda: RENDERS.keep(stored.pk))
        else:
            _photo_render(stored)


def _photo_render(stored: StoredFile) -> None:
    try:
        with stored.original.open("rb") as raw, Image.open(raw) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError):
        logger.exception("photo %s could not be read", stored.id)
        _failed(stored)
        return
    stem = _renditions_clear(stored)
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


def _renditions_clear(stored: StoredFile) -> str:
    """Deletes what an earlier, interrupted run stored; returns the stem for the new names."""
    for field in (stored.full, stored.display):
        if field:
            field.delete(save=False)
    return PurePath(stored.name).stem


def _failed(stored: StoredFile) -> None:
    # A save, not an update(): what shows the file listens (workspaces.versions).
    stored.state = StoredFile.State.FAILED
    stored.save(update_fields=["state"])


def _video_render(stored: StoredFile, alive) -> None:
    """ffmpeg works on files: the original is copied to a temporary folder in chunks (the
    storage may be remote), the copy and the poster (none for sound) are made there and
    stored, streamed. The row turns ready only when both are stored: a half-made video never
    shows."""
    with tempfile.TemporaryDirectory(prefix="polku-video-") as folder:
        source, rendition, poster = (Path(folder) / n for n in ("source", "web.mp4", "poster.jpg"))
        with stored.original.open("rb") as raw, source.open("wb") as out:
            shutil.copyfileobj(raw, out, length=1024 * 1024)
        try:
            probe = video_probe(source, sound_only=stored.is_audio)
            if stored.is_audio:
                audio_render(source, rendition, probe, alive=alive)
            else:
                video_render(source, rendition, poster, probe, alive=alive)
        except (UploadRefused, VideoFailed):
            logger.warning("video %s could not be processed", stored.id, exc_info=True)
            _failed(stored)
            return
        stem = _renditions_clear(stored)
        with rendition.open("rb") as web:
            stored.full.save(f"{stem}.{'m4a' if stored.is_audio else 'mp4'}", File(web), save=False)
        if not stored.is_audio:
            with poster.open("rb") as still:
                stored.display.save(f"{stem}-poster.jpg", File(still), save=False)
    stored.width, stored.height, stored.seconds = probe.width, probe.height, probe.seconds
    raw_name = "" if settings.POLKU_VIDEO_KEEP_ORIGINAL else stored.original.name
    if raw_name:
        stored.original = ""
    stored.state = StoredFile.State.READY
    stored.save(
        update_fields=["full", "display", "width", "height", "seconds", "original", "state"]
    )
    if raw_name:
        stored.original.storage.delete(raw_name)


@shared_task(acks_late=True, ignore_result=True)
def resumable_expired_sweep() -> int:
    """Unfinished uploads a phone never came back to (beat, hourly): their bytes and rows."""
    from .resumable import resumable_expired_delete

    return resumable_expired_delete()
