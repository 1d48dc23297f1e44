"""What an upload really is, decided by its content, never by its name."""

import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

PHOTO_FORMATS = {  # Pillow's name -> (content type, extension)
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "HEIF": ("image/heic", "heic"),
}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
OOXML = {  # the folder inside the zip -> (content type, extension)
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000


class UploadRefused(Exception):
    """A file we do not keep, with the reason in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Accepted:
    kind: str  # "photo", "document", "video" or "audio"
    content_type: str
    name: str  # safe, with the extension that matches the content


def _safe_name(original: str, extension: str) -> str:
    stem = PurePath(original or "file").stem[:80]
    try:
        stem = get_valid_filename(stem)
    except Exception:  # noqa: BLE001 - a name of only unsafe characters
        stem = "file"
    return f"{stem or 'file'}.{extension}"


def _sniff_photo(head: bytes) -> bool:
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS)
    )


def _check_photo(upload) -> tuple[str, str]:
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = settings.POLKU_IMAGE_MAX_PIXELS
        try:
            with Image.open(upload) as image:
                image_format = image.format
                # A JPEG decodes at an eighth of its size: every byte of it is still read (a
                # truncated file fails here all the same) for a third of the CPU and a
                # sixty-fourth of the memory of a 12-megapixel phone photo. (The worker makes
                # the renditions from the whole picture.) Other formats ignore draft().
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise UploadRefused(
                _("This picture is too large in pixels to be a photo. Please send a smaller one.")
            ) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise UploadRefused(
                _("This photo is damaged or incomplete. Try taking or sending it again.")
            ) from error
        finally:
            Image.MAX_IMAGE_PIXELS = previous
    if image_format not in PHOTO_FORMATS:
        raise UploadRefused(_("Photos must be JPEG, PNG, WebP or HEIC."))
    return PHOTO_FORMATS[image_format]


def _check_zip_document(upload) -> tuple[str, str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or (
                sum(m.file_size for m in members) > ZIP_MAX_UNPACKED
            ):
                raise UploadRefused(
                    _("This file unpacks to far more than it seems. It is refused.")
                )
            names = {m.filename for m in members}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in ODF:
                    return mimetype, ODF[mimetype]
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except zipfile.BadZipFile as error:
        raise UploadRefused(_("This file is damaged or incomplete.")) from error
    raise UploadRefused(_not_accepted())


def _not_accepted() -> str:
    return _(
        "This kind of file is not accepted. Photos: JPEG, PNG, WebP, HEIC. Videos: MP4, "
        "MOV, WebM. Files: PDF, Word, Excel, PowerPoint and OpenDocument."
    )


def _sniff_video(head: bytes) -> bool:
    """MP4, QuickTime (an iPhone's MOV), 3GP or WebM/Matroska: ffprobe decides the rest."""
    is_iso_media = head[4:8] == b"ftyp" and head[8:12] not in HEIF_BRANDS
    return is_iso_media or head.startswith(b"\x1aE\xdf\xa3")


def _sniff_sound(head: bytes) -> bool:
    """MP3, WAV, Ogg or FLAC; M4A is ISO media, as a video."""
    return head.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3", b"OggS", b"fLaC")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    )


def _check_video(upload, sound_only: bool):
    """ffprobe reads the file where it lies (a large upload is already a temporary file)."""
    from .video import video_probe

    if hasattr(upload, "temporary_file_path"):
        return video_probe(Path(upload.temporary_file_path()), sound_only=sound_only)
    with tempfile.NamedTemporaryFile(suffix=".video") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy, length=1024 * 1024)
        copy.flush()
        return video_probe(Path(copy.name), sound_only=sound_only)


def too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    )


def looks_like_video(upload) -> bool:
    """By its first bytes, before the content is checked: which limits apply."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return _sniff_video(head)


def content_sniff(head: bytes) -> None:
    """Refuses what cannot be any accepted kind by its first 16 bytes (a resumable upload's
    first piece): the whole file is still checked by `upload_check`."""
    known = (
        _sniff_video(head)
        or _sniff_photo(head)
        or head.startswith(b"%PDF-")
        or head.startswith(b"PK\x03\x04")
    )
    if len(head) >= 16 and not known:
        raise UploadRefused(_not_accepted())


def upload_check(upload, kinds=frozenset({"photo", "document"})) -> Accepted:
    """Accepts a photo, a document or (where `kinds` has it) a video by its content, or raises
    UploadRefused."""
    largest = settings.POLKU_VIDEO_MAX_BYTES if {"video", "audio"} & set(kinds) else 0
    if upload.size > max(largest, settings.POLKU_UPLOAD_MAX_BYTES):
        raise too_large(max(largest, settings.POLKU_UPLOAD_MAX_BYTES))
    if upload.size == 0:
        raise UploadRefused(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    if ("video" in kinds and _sniff_video(head)) or ("audio" in kinds and _sniff_sound(head)):
        probe = _check_video(upload, sound_only="audio" in kinds)
        # What is served is the web copy: MP4, or M4A for sound only.
        kind, content_type, extension = (
            ("audio", "audio/mp4", "m4a") if probe.is_audio else ("video", "video/mp4", "mp4")
        )
    elif upload.size > settings.POLKU_UPLOAD_MAX_BYTES:
        raise too_large(settings.POLKU_UPLOAD_MAX_BYTES)
    elif _sniff_photo(head):
        content_type, extension = _check_photo(upload)
        kind = "photo"
    elif head.startswith(b"%PDF-"):
        content_type, extension, kind = "application/pdf", "pdf", "document"
    elif head.startswith(b"PK\x03\x04"):
        (content_type, extension), kind = _check_zip_document(upload), "document"
    else:
        raise UploadRefused(_not_accepted())
    if kind not in kinds:
        raise UploadRefused(_("This part of the answer takes photos only."))
    upload.seek(0)
    return Accepted(kind, content_type, _safe_name(upload.name, extension))


CAPTIONS_MAX_BYTES = 512 * 1024  # ten minutes of speech is a few tens of kilobytes
SRT_TIME = re.compile(r"(\d\d:\d\d:\d\d),(\d\d\d)")


def captions_check(upload) -> bytes:
    """A video's captions as WebVTT: a WebVTT file as it is, or SubRip (.srt, what most
    captioning apps export) turned into WebVTT. Raises UploadRefused."""
    if upload.size > CAPTIONS_MAX_BYTES:
        raise too_large(CAPTIONS_MAX_BYTES)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(_("Captions must be a WebVTT or SRT text file.")) from error
    text = text.replace("\r\n", "\n")
    if text.startswith("WEBVTT"):
        return text.encode()
    if SRT_TIME.search(text) and "-->" in text:
        return ("WEBVTT\n\n" + SRT_TIME.sub(r"\1.\2", text)).encode()
    raise UploadRefused(_("Captions must be a WebVTT or SRT text file."))


# What the file pickers offer (the browser's `accept`); the content still decides on arrival.
ACCEPT_PHOTOS = "image/*,.heic,.heif"
ACCEPT_FILES = ACCEPT_PHOTOS + ",video/*,.mov,.mp4,.pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp"
