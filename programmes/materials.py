"""Trainers' video and sound in materials (wagtailmedia, programmes.MaterialMedia): checked by
content when uploaded, made playable by the worker as a participant's video is
(polku.uploads), and served only to the people of the organisation whose collection holds
them, as Wagtail's documents (wagtail_hooks.documents_for_their_organisation_only)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from wagtailmedia.forms import BaseMediaForm

from polku.people.models import Membership
from polku.uploads.services import stored_file_create, stored_file_delete
from polku.uploads.serving import range_response, stored_file_response
from polku.uploads.validation import UploadRefused, upload_check

from .models import MaterialMedia

KINDS = frozenset({"video", "audio"})


def material_visible(user, collection) -> bool:
    """Course materials are for the people of the organisation whose collection holds them
    (its trainers edit them); not for other organisations, and not for the internet. A file
    outside every organisation's collection is for admins only."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    organisation = getattr(collection, "organisation", None)
    if organisation is None:
        return False
    return Membership.objects.filter(user=user, cohort__organisation=organisation).exists()


class MaterialMediaForm(BaseMediaForm):
    """wagtailmedia's form, with the file checked by what it holds (ffprobe), not its name:
    a renamed program, a damaged video or one too long is told why before it is kept."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new file
            try:
                accepted = upload_check(upload, kinds=KINDS)
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message) from refused
            self.instance.type = accepted.kind
        return upload


def material_playable_sync(media: MaterialMedia) -> None:
    """Makes the playable copy of the media's file when the file is new or changed (the
    worker renders it after commit); the copy of a replaced file goes."""
    source = media.file.name
    playable = media.playable
    if not source or (playable is not None and playable.client_key == source[:64]):
        return
    if media.uploaded_by_user_id is None:
        return  # made outside the admin (a fixture): nobody to own the copy
    with media.file.open("rb") as upload:
        stored, _created = stored_file_create(
            owner=media.uploaded_by_user, upload=upload, client_key=source[:64], kinds=KINDS
        )
    MaterialMedia.objects.filter(id=media.id).update(playable=stored, type=stored.kind)
    media.playable = stored
    if playable is not None:
        stored_file_delete(playable)


def _visible_media(request, **lookup) -> MaterialMedia:
    media = get_object_or_404(MaterialMedia.objects.select_related("collection"), **lookup)
    if not material_visible(request.user, media.collection):
        raise Http404
    return media


@login_required
@require_GET
def material_media(request, media_id):
    """The playable copy of a trainer's video or sound: `?v=video` the web copy, with range
    requests, the poster by default (polku.uploads.serving)."""
    media = _visible_media(request, id=media_id)
    if media.playable is None:
        raise Http404
    return stored_file_response(request, media.playable)


THUMBNAILS = "materials/thumbnails/"


@login_required
@require_GET
def material_file(request, name):
    """The file as the trainer uploaded it, or its thumbnail: the admin's links."""
    if name.startswith(THUMBNAILS):
        field = _visible_media(request, thumbnail=name).thumbnail
    else:
        field = _visible_media(request, file=name).file
    response = range_response(request, field, "application/octet-stream")
    response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def material_media_deleted(sender, instance, **kwargs):
    """The playable copy goes with its media (wagtailmedia deletes the file itself)."""
    if instance.playable_id:
        stored_file_delete(instance.playable)


def material_media_saved(sender, instance, **kwargs):
    material_playable_sync(instance)
