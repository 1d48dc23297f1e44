"""Writes about people: memberships, invitations, the CSV import, language choice."""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission

from polku import events
from polku.audit.models import Action
from polku.audit.services import audit_record
from polku.caching import version_bump
from polku.coalescing import enqueue_after_commit
from polku.links import link_token, link_value

from .models import Cohort, Invitation, Membership, Organisation, Role, SmallGroup, User
from .versions import MEMBERSHIPS, member_version

INVITATION_SALT = "polku.people.invitation"
CSV_MAX_BYTES = 1024 * 1024
CSV_COLUMNS = {
    "name": {"name", "nimi"},
    "email": {"email", "e-mail", "sähköposti", "sahkoposti", "sposti"},
    "group": {"group", "small group", "ryhmä", "ryhma", "pienryhmä", "pienryhma"},
}


# What an organisation's editors may do with its images, documents, video and sound (its
# collection).
EDITOR_COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
    "wagtailmedia": ["add_media", "change_media"],
}


@transaction.atomic
def organisation_editors_get(organisation: Organisation) -> Group:
    """The organisation's Wagtail group (its trainers), made the first time with admin access
    and rights on the organisation's own collection of images and documents only. Page rights
    are per programme (programmes.services.programme_editors_sync)."""
    organisation = Organisation.objects.select_for_update().get(id=organisation.id)
    if organisation.editors_id and organisation.collection_id:
        editor_permissions_sync(organisation)  # a kind of material added since
        return organisation.editors
    if organisation.collection_id is None:
        root = Collection.get_first_root_node()
        # treebeard places the child by the root's stored child count: set it right first,
        # so a count left stale by a restored database cannot make it reuse a taken path.
        Collection.objects.filter(id=root.id).update(
            numchild=Collection.objects.filter(depth=root.depth + 1).count()
        )
        organisation.collection = root.add_child(name=f"{organisation.name} ({organisation.slug})")
    if organisation.editors_id is None:
        organisation.editors = Group.objects.create(name=f"Editors: {organisation.slug}")
        organisation.editors.permissions.add(Permission.objects.get(codename="access_admin"))
    organisation.save(update_fields=["editors", "collection"])
    editor_permissions_sync(organisation)
    return organisation.editors


def editor_permissions_sync(organisation: Organisation) -> None:
    """The editors' rights on their organisation's collection, as EDITOR_COLLECTION_PERMISSIONS
    says: one statement when nothing is missing."""
    kinds = Q()
    for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS.items():
        kinds |= Q(content_type__app_label=app_label, codename__in=codenames)
    held = GroupCollectionPermission.objects.filter(
        group=organisation.editors, collection=organisation.collection
    ).values("permission_id")
    wanted = Permission.objects.filter(kinds).exclude(id__in=held)
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=organisation.editors, collection=organisation.collection, permission=p
            )
            for p in wanted
        ]
    )


@transaction.atomic
def name_parts(name: str) -> tuple[str, str]:
    """(first name, last name) of a name as typed: the last word is the last name; a single
    word is a first name."""
    first, _sep, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


def membership_add(
    *,
    cohort: Cohort,
    email: str,
    role: str,
    name: str = "",
    small_group_name: str = "",
    by: User | None = None,
) -> tuple[Membership, bool]:
    """Adds a person to a cohort (creating the user if new). Repeating it changes nothing but
    the small group. Returns the membership and whether it is new."""
    email = User.objects.normalize_email(email).strip().lower()
    first_name, last_name = name_parts(name)
    user, _created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    small_group = None
    if small_group_name.strip():
        small_group = SmallGroup.objects.filter(
            cohort=cohort, name__iexact=small_group_name.strip()
        ).first() or SmallGroup.objects.create(cohort=cohort, name=small_group_name.strip())
    membership, created = Membership.objects.get_or_create(
        user=user, cohort=cohort, defaults={"role": role, "small_group": small_group}
    )
    if created:
        audit_record(
            actor=by,
            action=Action.ROLE,
            subject_id=user.id,
            summary=f"person {user.id} added to cohort {cohort.id} as {role}",
        )
    if not created and small_group is not None and membership.small_group_id != small_group.id:
        membership.small_group = small_group
        membership.save(update_fields=["small_group"])
    if role == Role.TRAINER:
        user.groups.add(organisation_editors_get(cohort.organisation))
    if membership.role == Role.PARTICIPANT:
        events.PARTICIPANTS_CHANGED.announce(cohort_id=cohort.id, membership_ids=[membership.id])
    return membership, created


def invitation_create(*, membership: Membership) -> Invitation:
    """A new invitation, emailed by a worker once the transaction commits."""
    from .tasks import invitation_send

    invitation = Invitation.objects.create(
        membership=membership,
        expires_at=timezone.now() + timedelta(days=settings.POLKU_INVITATION_DAYS),
    )
    enqueue_after_commit(invitation_send.name, [invitation.id])
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return link_token(invitation.id, INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link points at, or None for a forged or garbled link."""
    return (
        Invitation.objects.select_related("membership__user", "membership__cohort")
        .filter(id=link_value(token, INVITATION_SALT))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, name: str = "") -> User:
    """Sets the new person's name and first password. Someone who has a password already
    joins by logging in (invitation_accept_by_login): an invitation never replaces a
    password, or a forwarded link would hand over the account."""
    user = invitation.membership.user
    if user.has_usable_password():
        raise ValidationError(_("You have an account already: log in to join."))
    if name.strip():
        user.first_name, user.last_name = name_parts(name)
    user.set_password(password)
    user.save()
    memberships_join(user=user)
    return user


def memberships_join(*, user: User, now=None) -> None:
    """The person joined (chose a password, or logged in): their waiting invitations are used
    up, and from now on they are counted as a participant wherever they were invited."""
    now = now or timezone.now()
    Invitation.objects.filter(membership__user=user, accepted_at=None).update(accepted_at=now)
    waiting = list(
        Membership.objects.filter(user=user, joined_at=None).values_list("id", "cohort_id", "role")
    )
    if not waiting:  # every login but the first: one query
        return
    Membership.objects.filter(id__in=[row[0] for row in waiting]).update(joined_at=now)
    version_bump(member_version(user.id), MEMBERSHIPS)  # an update() sends no signal
    for membership_id, cohort_id, role in waiting:
        if role == Role.PARTICIPANT:
            events.PARTICIPANTS_CHANGED.announce(
                cohort_id=cohort_id, membership_ids=[membership_id]
            )


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    user.language = language
    user.save(update_fields=["language"])


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    already_in: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _csv_text(data: bytes) -> str | None:
    """The file as text, or None when it is not text at all (a spreadsheet saved as .xlsx, a
    picture, anything renamed to .csv)."""
    if b"\x00" in data[:8192]:  # no text file has NUL bytes; UTF-16 is refused too
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Finnish Windows saves CSV in cp1252 unless told otherwise.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if any(ch < " " and ch not in "\t\r\n" for ch in text[:8192]):
        return None  # control characters: a binary file that happened to decode
    return text


def _csv_columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for key, aliases in CSV_COLUMNS.items():
        for position, cell in enumerate(names):
            if cell in aliases:
                columns[key] = position
    return columns if {"name", "email"} <= columns.keys() else None


@dataclass
class ImportPlan:
    """What a CSV file would do, before anything is written: the organiser sees it first."""

    new: list[tuple[str, str, str]] = field(default_factory=list)  # name, email, small group
    already_in: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)  # small groups that would be created


def participants_csv_read(*, cohort: Cohort, data: bytes) -> ImportPlan:
    """Reads a CSV file of participants (name, email, small group) without writing anything.

    Each row stands alone: a bad row is reported with its line number and why; a person
    already in the cohort is listed as such; group names the cohort does not have yet are
    listed, so that a typo never creates a group silently."""
    plan = ImportPlan()
    if len(data) > CSV_MAX_BYTES:
        plan.errors.append((0, _("The file is too large (at most 1 MB).")))
        return plan
    text = _csv_text(data)
    if text is None:
        plan.errors.append(
            (0, _("This is not a CSV file. In Excel, choose Save as › CSV UTF-8 and try again."))
        )
        return plan
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    header = next(rows, None)
    columns = _csv_columns(header or [])
    if columns is None:
        plan.errors.append(
            (1, _("The first line must name the columns: name, email and (optional) group."))
        )
        return plan
    members = set(Membership.objects.filter(cohort=cohort).values_list("user__email", flat=True))
    groups = set(SmallGroup.objects.filter(cohort=cohort).values_list("name", flat=True))
    # Administrators are few: one query for them all, not one per line of the file.
    administrators = {
        e.lower()
        for e in User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).values_list(
            "email", flat=True
        )
    }
    new_groups, seen = [], set()
    for line_number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in columns.items()}
        email = cells["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            plan.errors.append((line_number, _("“%s” is not an email address.") % email))
            continue
        if not cells["name"]:
            plan.errors.append((line_number, _("The name is missing.")))
            continue
        if email in seen:
            plan.errors.append((line_number, _("%s is on an earlier line already.") % email))
            continue
        seen.add(email)
        if email in administrators:
            plan.errors.append(
                (line_number, _("%s is an administrator's account and cannot be added.") % email)
            )
            continue
        if email in members:
            plan.already_in.append(email)
            continue
        group = cells.get("group", "")
        if group and group not in groups and group not in new_groups:
            new_groups.append(group)
        plan.new.append((cells["name"], email, group))
    plan.new_groups = new_groups
    return plan


def participants_import_csv(*, cohort: Cohort, data: bytes, by: User | None = None) -> ImportReport:
    """Adds the participants of a CSV file (see participants_csv_read) and invites the new
    ones. Each person is added in a transaction of their own: one who cannot be added leaves
    the others in."""
    plan = participants_csv_read(cohort=cohort, data=data)
    report = ImportReport(already_in=plan.already_in, errors=plan.errors)
    for name, email, group in plan.new:
        with transaction.atomic():
            membership, created = membership_add(
                cohort=cohort,
                email=email,
                name=name,
                role=Role.PARTICIPANT,
                small_group_name=group,
                by=by,
            )
            if created:
                invitation_create(membership=membership)
                report.added.append(email)
            else:
                report.already_in.append(email)
    return report


def calendar_key_renew(*, user: User) -> str:
    """A new secret address for the person's calendar feed; the old one stops working."""
    user.calendar_key = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_key"])
    return user.calendar_key


def calendar_user(key: str) -> User | None:
    if not key:
        return None
    return User.objects.filter(calendar_key=key, is_active=True, erased_at=None).first()


def calendar_language(user: User) -> str:
    """The person's language, else their first cohort's, else the site's."""
    if user.language:
        return user.language
    cohort_language = (
        Membership.objects.filter(user=user)
        .order_by("id")
        .values_list("cohort__language", flat=True)
        .first()
    )
    return cohort_language or settings.LANGUAGE_CODE
