"""Writes about people: memberships, invitations, the CSV import, language choice."""

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Page

from .models import Cohort, Invitation, Membership, Role, SmallGroup, User

TRAINERS_GROUP = "Trainers"
INVITATION_SALT = "polku.people.invitation"
CSV_MAX_BYTES = 1024 * 1024
CSV_COLUMNS = {
    "name": {"name", "nimi"},
    "email": {"email", "e-mail", "sähköposti", "sahkoposti", "sposti"},
    "group": {"group", "small group", "ryhmä", "ryhma", "pienryhmä", "pienryhma"},
}


def trainers_group_get() -> Group:
    """The Wagtail group whose members may edit paths: admin access and page editing."""
    group, created = Group.objects.get_or_create(name=TRAINERS_GROUP)
    if created:
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["wagtailimages", "wagtaildocs"],
                codename__in=[
                    "add_image",
                    "change_image",
                    "choose_image",
                    "add_document",
                    "change_document",
                    "choose_document",
                ],
            )
        )
        root = Page.get_first_root_node()
        for codename in ["add_page", "change_page", "publish_page", "lock_page"]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    return group


@transaction.atomic
def membership_add(
    *, cohort: Cohort, email: str, role: str, name: str = "", small_group_name: str = ""
) -> tuple[Membership, bool]:
    """Adds a person to a cohort (creating the user if new). Repeating it changes nothing but
    the small group. Returns the membership and whether it is new."""
    email = User.objects.normalize_email(email).strip().lower()
    first_name, _sep, last_name = name.strip().rpartition(" ")
    if not first_name:
        first_name, last_name = last_name, ""
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
    if not created and small_group is not None and membership.small_group_id != small_group.id:
        membership.small_group = small_group
        membership.save(update_fields=["small_group"])
    if role == Role.TRAINER:
        user.groups.add(trainers_group_get())
    if membership.role == Role.PARTICIPANT:
        from programmes.progress.services import participants_changed

        participants_changed(cohort.id, [membership.id])
    return membership, created


def invitation_create(*, membership: Membership) -> Invitation:
    """A new invitation, emailed by a worker once the transaction commits."""
    from .tasks import invitation_send

    invitation = Invitation.objects.create(
        membership=membership,
        expires_at=timezone.now() + timedelta(days=settings.POLKU_INVITATION_DAYS),
    )
    transaction.on_commit(lambda: invitation_send.delay(invitation.id))
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.id, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link points at, or None for a forged or garbled link."""
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("membership__user", "membership__cohort")
        .filter(id=invitation_id)
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, name: str = "") -> User:
    user = invitation.membership.user
    if name.strip():
        user.first_name, _sep, user.last_name = name.strip().rpartition(" ")
        if not user.first_name:
            user.first_name, user.last_name = user.last_name, ""
    user.set_password(password)
    user.save()
    Invitation.objects.filter(membership__user=user, accepted_at=None).update(
        accepted_at=timezone.now()
    )
    return user


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


def _csv_text(data: bytes) -> str:
    # Excel on a Finnish Windows saves CSV in cp1252 unless told otherwise.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _csv_columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for key, aliases in CSV_COLUMNS.items():
        for position, cell in enumerate(names):
            if cell in aliases:
                columns[key] = position
    return columns if {"name", "email"} <= columns.keys() else None


def participants_import_csv(*, cohort: Cohort, data: bytes) -> ImportReport:
    """Adds the participants of a CSV file (name, email, small group) and invites the new ones.

    Each row stands alone: a bad row is reported with its line number and the good ones are
    kept. A person already in the cohort is not added or invited again."""
    report = ImportReport()
    if len(data) > CSV_MAX_BYTES:
        report.errors.append((0, _("The file is too large (at most 1 MB).")))
        return report
    text = _csv_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    header = next(rows, None)
    columns = _csv_columns(header or [])
    if columns is None:
        report.errors.append(
            (1, _("The first line must name the columns: name, email and (optional) group."))
        )
        return report
    seen = set()
    for line_number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in columns.items()}
        email = cells["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            report.errors.append((line_number, _("“%s” is not an email address.") % email))
            continue
        if not cells["name"]:
            report.errors.append((line_number, _("The name is missing.")))
            continue
        if email in seen:
            report.errors.append((line_number, _("%s is on an earlier line already.") % email))
            continue
        seen.add(email)
        with transaction.atomic():
            membership, created = membership_add(
                cohort=cohort,
                email=email,
                name=cells["name"],
                role=Role.PARTICIPANT,
                small_group_name=cells.get("group", ""),
            )
            if created:
                invitation_create(membership=membership)
                report.added.append(email)
            else:
                report.already_in.append(email)
    return report
