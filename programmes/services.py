"""Writes along a path."""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from polku.caching import cached
from polku.people.services import organisation_editors_get
from polku.seen import seen_store

from .models import PageVisit, ProgrammeIndexPage, ProgrammePage


def visits_version(user_id: int) -> str:
    return f"visits:{user_id}"


def page_visits_of(user_id: int) -> dict[int, datetime]:
    """When the person last opened each page (that changed since), by page id: every page of
    a path reads it, so it is kept until page_visit_record stores a visit."""
    return cached(
        f"visits:{user_id}",
        lambda: dict(PageVisit.objects.filter(user_id=user_id).values_list("page_id", "seen_at")),
        versions=[visits_version(user_id)],
    )


def page_visit_record(*, user, page, now: datetime | None = None) -> datetime | None:
    """Stores that the person opened the page (one upsert, safe under a double tap) and
    returns when they had opened it before, if ever.

    The visit is what marks a page "updated since your last visit": published after it. So
    the row moves only when the page was published since; a later visit of an unchanged page
    would mark nothing differently, and every view of a day or an assignment would otherwise
    be a write (the visit kept is the first since the page last changed)."""
    previous = page_visits_of(user.id).get(page.id)
    published = page.last_published_at
    if previous is None or (published and published > previous):
        seen_store(
            PageVisit, now or timezone.now(), version=visits_version(user.id), user=user, page=page
        )
    return previous


# What an organisation's editors may do with its programmes, each with all its pages.
# No bulk delete: a programme with days can be taken down only by an admin.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


@transaction.atomic
def programme_editors_sync(*, programme: ProgrammePage) -> None:
    """Gives the programme's organisation's editors (its trainers) the right to edit, publish
    and add to this programme, and takes it from every other group: a trainer edits only
    their own organisation's programmes."""
    GroupPagePermission.objects.filter(page=programme, group__organisation__isnull=False).exclude(
        group__organisation=programme.organisation_id
    ).delete()
    if programme.organisation_id is None:
        return
    editors = organisation_editors_get(programme.organisation)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=programme, permission=permission
        )


def programme_index_get() -> ProgrammeIndexPage:
    """The paths folder, made the site's root the first time (in place of Wagtail's welcome
    page)."""
    index = ProgrammeIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        index = root.add_child(instance=ProgrammeIndexPage(title="Polut", slug="polut"))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=index, is_default_site=True, site_name="Polku"
            )
        else:
            site.root_page = index
            site.site_name = "Polku"
            site.save()
        if old_root is not None and type(old_root.specific) is Page:
            old_root.delete()
    return index
