from datetime import timedelta
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from polku.coalescing import Coalescing, enqueue_after_commit

from .models import StoredFile
from .validation import captions_check, upload_check

# One render per file at a time, and none lost (polku.coalescing). A render keeps its claim
# fresh while ffmpeg works (tasks.HEARTBEAT_SECONDS), so a long video is never rendered twice,
# and one whose worker died is taken up again within a minute or two.
RENDERS = Coalescing(
    StoredFile,
    wanted="render_wanted_at",
    since="render_since",
    task="polku.uploads.tasks.stored_file_render",
    countdown=None,
    stale_after=timedelta(seconds=90),
    lost_after=timedelta(seconds=30),
)


def stored_file_create(
    *, owner, upload, client_key: str, kinds=frozenset({"photo", "document"})
) -> tuple[StoredFile, bool]:
    """Keeps an upload privately after checking its content (raises UploadRefused). The same
    client key returns the file already kept, so a retried upload is stored once. Photos get
    their renditions, videos their web copy and poster, from a worker (the media queue) once
    the transaction commits."""
    existing = StoredFile.objects.filter(owner=owner, client_key=client_key).first()
    if existing is not None:
        return existing, False
    accepted = upload_check(upload, kinds=kinds)
    processed = accepted.kind != StoredFile.Kind.DOCUMENT
    stored = StoredFile(
        owner=owner,
        client_key=client_key,
        kind=accepted.kind,
        state=StoredFile.State.PROCESSING if processed else StoredFile.State.READY,
        name=accepted.name,
        content_type=accepted.content_type,
        size=upload.size,
        # Wanted from its first moment, in the same INSERT (RENDERS.request's separate
        # UPDATE is for rows that exist already).
        render_wanted_at=timezone.now() if processed else None,
    )
    stored.original.save(accepted.name, upload, save=False)
    try:
        with transaction.atomic():
            stored.save(force_insert=True)
    except IntegrityError:  # the same upload won a race from a second tap
        stored.original.delete(save=False)
        return StoredFile.objects.get(owner=owner, client_key=client_key), False
    if processed:
        enqueue_after_commit(RENDERS.task, [str(stored.id)])
    return stored, True


def stored_file_delete(stored: StoredFile) -> None:
    """Removes the row now and the files after commit (a rollback keeps both)."""
    files = [f for f in (stored.original, stored.full, stored.display, stored.captions) if f]
    stored.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


def stored_file_captions_set(stored: StoredFile, upload) -> None:
    """A video's captions, added or replaced by its owner (raises UploadRefused)."""
    vtt = captions_check(upload)
    old = stored.captions.name if stored.captions else ""
    stored.captions.save(f"{PurePath(stored.name).stem}.vtt", ContentFile(vtt), save=False)
    # A save, not an update(): what shows the video listens (workspaces.versions).
    stored.save(update_fields=["captions"])
    if old:
        transaction.on_commit(lambda: stored.captions.storage.delete(old))
