from django.core.exceptions import PermissionDenied
from wagtail import hooks


@hooks.register("before_serve_document")
def documents_for_members_only(document, request):
    """Course materials are for the people of a cohort (and editors), not for the internet."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not (
        user.is_staff or user.memberships.exists() or user.has_perm("wagtailadmin.access_admin")
    ):
        raise PermissionDenied
