"""A person's own data page (export), the download, and the admins' page for anyone's export
and erasure (in the Wagtail admin, superusers only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.people.models import User

from . import services
from .forms import EraseForm, PersonFindForm
from .models import DataExport


@login_required
@require_http_methods(["GET", "POST"])
def privacy_home(request):
    """What Polku keeps about me, and a copy of it to download."""
    if request.method == "POST":
        services.export_request(user=request.user, requested_by=request.user)
        messages.success(request, _("Your data is being collected. We email you when it is ready."))
        return redirect("privacy_home")
    return render(
        request,
        "privacy/home.html",
        {"exports": DataExport.objects.filter(user=request.user), "now": timezone.now()},
    )


def _download(export: DataExport):
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_GET
def data_export_download(request, export_id):
    export = DataExport.objects.filter(
        id=export_id, user=request.user, ready_at__isnull=False, expires_at__gt=timezone.now()
    ).first()
    if export is None:
        raise Http404
    return _download(export)


def _superuser(request):
    if not (request.user.is_authenticated and request.user.is_superuser):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def admin_people(request):
    """Find a person by email address, then export their data or erase them."""
    _superuser(request)
    form = PersonFindForm(request.GET or None)
    person = None
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            messages.error(request, _("No one has that email address."))
    return render(request, "privacy/admin_people.html", {"form": form, "person": person})


def _admin_person_page(request, person, erase_form):
    return render(
        request,
        "privacy/admin_person.html",
        {
            "person": person,
            "erase_form": erase_form,
            "exports": DataExport.objects.filter(user=person),
            "memberships": person.memberships.select_related("cohort"),
        },
    )


def _person_get(request, user_id):
    _superuser(request)
    return get_object_or_404(User, id=user_id, erased_at=None)


@require_GET
def admin_person(request, user_id):
    person = _person_get(request, user_id)
    return _admin_person_page(request, person, EraseForm(person=person))


@require_POST
def admin_person_export(request, user_id):
    person = _person_get(request, user_id)
    services.export_request(user=person, requested_by=request.user)
    messages.success(request, _("The export is being built; it appears below when ready."))
    return redirect("privacy_admin_person", user_id=person.id)


@require_POST
def admin_person_erase(request, user_id):
    person = _person_get(request, user_id)
    erase_form = EraseForm(request.POST, person=person)
    if not erase_form.is_valid():
        return _admin_person_page(request, person, erase_form)
    services.person_erase(user=person, by=request.user)
    messages.success(request, _("The person was erased."))
    return redirect("privacy_admin_people")


@require_GET
def admin_export_download(request, export_id):
    _superuser(request)
    export = get_object_or_404(
        DataExport, id=export_id, ready_at__isnull=False, expires_at__gt=timezone.now()
    )
    return _download(export)
