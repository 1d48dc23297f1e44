from django.core.exceptions import PermissionDenied
from wagtail import hooks

from polku.people.models import Membership

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


@hooks.register("before_serve_document")
def documents_for_their_organisation_only(document, request):
    """Course materials are for the people of the organisation whose collection holds them,
    and for its editors; not for other organisations, and not for the internet. A document
    outside every organisation's collection is for admins only."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if user.is_superuser:
        return
    organisation = getattr(document.collection, "organisation", None)
    if organisation is None:
        raise PermissionDenied
    member = Membership.objects.filter(user=user, cohort__organisation=organisation).exists()
    if not member:
        raise PermissionDenied
