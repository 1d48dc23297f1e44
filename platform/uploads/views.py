from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import StoredFile
from .services import stored_file_captions_set
from .validation import UploadRefused


@login_required
@require_POST
def stored_file_captions(request, file_id):
    """Captions for a video, from the person who sent it, wherever the video shows (an
    answer, a post); back to that page. Anyone else's file answers 404."""
    stored = get_object_or_404(
        StoredFile, id=file_id, owner=request.user, kind=StoredFile.Kind.VIDEO
    )
    upload = request.FILES.get("captions")
    if upload is None:
        messages.error(request, _("Choose a captions file (WebVTT or SRT) first."))
    else:
        try:
            stored_file_captions_set(stored, upload)
            messages.success(request, _("Captions added."))
        except UploadRefused as refused:
            messages.error(request, refused.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return redirect(back)
