from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from .materials import material_visible
from .models import ProgrammePage
from .services import programme_editors_sync


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def programme_editors_follow_its_organisation(request, page):
    """An admin chose (or changed) whose programme this is: that organisation's trainers, and
    nobody else's, may now edit it."""
    if isinstance(page.specific, ProgrammePage):
        programme_editors_sync(programme=page.specific)


@hooks.register("after_copy_page")
def copied_programme_gets_its_editors(request, page, new_page):
    if isinstance(new_page.specific, ProgrammePage):
        programme_editors_sync(programme=new_page.specific)


@hooks.register("before_delete_page")
def programmes_in_use_stay(request, page):
    """A programme that cohorts run cannot go (their calendars and answers point at it): say
    so, rather than fail."""
    if request.method != "POST":
        return None
    in_use = ProgrammePage.objects.descendant_of(page, inclusive=True).filter(cohorts__isnull=False)
    if not in_use.exists():
        return None
    messages.error(
        request,
        _("“%(title)s” is run by cohorts: it cannot be deleted. Unpublish it instead.")
        % {"title": in_use.first().title},
    )
    return redirect("wagtailadmin_explore", page.get_parent().id)


@hooks.register("before_copy_page")
def copy_needs_a_destination(request, page):
    """Wagtail's copy view fails on a POST without a destination; the form always has one."""
    if request.method == "POST" and not request.POST.get("new_parent_page", "").isdigit():
        messages.error(request, _("Choose where the copy goes."))
        return redirect("wagtailadmin_pages:copy", page.id)
    return None


@hooks.register("before_serve_document")
def documents_for_their_organisation_only(document, request):
    """Course materials are for the people of the organisation whose collection holds them
    (programmes.materials.material_visible)."""
    if not material_visible(request.user, document.collection):
        raise PermissionDenied
