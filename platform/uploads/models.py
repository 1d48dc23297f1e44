"""Files people upload: photos from phones and documents. Stored privately (no public URL);
every download passes an access check of the app that owns the file."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone


class PrivateFileSystemStorage(FileSystemStorage):
    """Files in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL at all (FileSystemStorage
    would fall back to MEDIA_URL): only views that check access serve them. The folder is read
    from settings on each use, so a test's override applies."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


private_storage = PrivateFileSystemStorage()


def _upload_path(instance, filename):
    return f"uploads/{instance.created_at:%Y/%m}/{instance.id}/{filename}"


class StoredFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo"
        DOCUMENT = "document"
        VIDEO = "video"
        AUDIO = "audio"  # sound only: a trainer's recording in materials

    class State(models.TextChoices):
        # A photo waiting for its upright, EXIF-free renditions; a video for its web copy
        # and poster. Never shown as ready before they exist.
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The browser's id for one upload: a double tap or a retry of the same file stores it once.
    client_key = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices)
    name = models.CharField(max_length=200)  # a safe display and download name
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # A photo's raw upload is kept only until its renditions exist, then deleted: it may carry
    # GPS and other EXIF data. A video's likewise, unless POLKU_VIDEO_KEEP_ORIGINAL keeps it
    # (private, never served). A document is served as uploaded. `full` is a photo's large
    # JPEG or a video's web copy (MP4); `display` a photo's phone-sized JPEG or a video's
    # poster.
    original = models.FileField(storage=private_storage, upload_to=_upload_path, blank=True)
    full = models.FileField(storage=private_storage, upload_to=_upload_path, blank=True)
    display = models.FileField(storage=private_storage, upload_to=_upload_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)  # a video's length
    # A video's captions (WebVTT) its owner added: people who cannot listen, or not now.
    captions = models.FileField(storage=private_storage, upload_to=_upload_path, blank=True)
    # Its renditions are wanted since / being made since (polku.coalescing, services.RENDERS):
    # a render lost with a killed worker or a restarted broker is asked for again.
    render_wanted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    render_since = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_key"], name="uploads_once_per_key"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.kind == self.Kind.PHOTO

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def is_audio(self) -> bool:
        return self.kind == self.Kind.AUDIO

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY


class ResumableUpload(models.Model):
    """A file arriving in pieces over the tus protocol (resumable.py): a phone's video survives
    a dropped connection and goes on from the last byte the server has. The bytes lie in
    PRIVATE_MEDIA_ROOT/resumable/<id> until the page hands the finished upload to where it
    belongs (an answer's part, a post); what is already there is the offset, so nothing
    else is written per piece."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    length = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)  # the phone's file name, only for the stored name
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name

    @property
    def path(self):
        return os.path.join(settings.PRIVATE_MEDIA_ROOT, "resumable", str(self.id))

    @property
    def offset(self) -> int:
        try:
            return os.path.getsize(self.path)
        except FileNotFoundError:
            return 0
