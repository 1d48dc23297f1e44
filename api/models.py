"""Tokens with which an organisation's own systems read Polku (the read API, api.v1) and
provision its people (SCIM, api.scim), and the people and groups SCIM provisioned."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    COHORTS = "cohorts", _("Cohorts")
    PEOPLE = "people", _("People and their roles")
    ATTENDANCE = "attendance", _("Attendance")
    PROGRESS = "progress", _("Assignment status and progress figures")
    SURVEYS = "surveys", _("Team survey results (above the anonymity threshold)")
    SCIM = "scim", _("Provisioning people and groups (SCIM)")


TOKEN_PREFIX = "polku_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_find(raw: str) -> "ApiToken | None":
    """The live token a bearer value belongs to, or None; notes when it was used (at most a
    minute old, so a busy client does not write on every request)."""
    found = (
        ApiToken.objects.select_related("organisation")
        .filter(key_hash=token_hash(raw), revoked_at=None)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=found.id).update(last_used_at=now)
    return found


class ApiToken(models.Model):
    """A bearer token of one organisation. Only its hash is kept: the token is shown once,
    when made. Revoked tokens stay, for the record of who read what."""

    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example: HR reporting"))
    scopes = models.JSONField(_("may read"), default=list)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_start = models.CharField(max_length=12, editable=False)  # to tell tokens apart
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation", "-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_start}…)"

    raw_key = ""  # the secret, on the instance that made it only

    def save(self, *args, **kwargs):
        if not self.key_hash:  # a new token: its secret, to be shown once (api.wagtail_hooks)
            self.raw_key = self.key_make()
        super().save(*args, **kwargs)

    def key_make(self) -> str:
        """A new secret for this token; returns it (the only time it is seen)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = token_hash(raw)
        self.key_start = raw[: len(TOKEN_PREFIX) + 4]
        return raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ProvisionedPerson(models.Model):
    """A person an organisation's identity or HR system provisions over SCIM: what that
    system calls them (userName, externalId, its emails) beside the account itself. The row
    is the wall: an organisation's SCIM token sees only the people it provisioned. Removing
    the row (SCIM DELETE) closes the account; what the person wrote stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="provisioned_people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provisioned"
    )
    user_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True)
    emails = models.JSONField(default=list)  # as the system sent them; the first primary signs in
    active = models.BooleanField(null=True)  # as sent; only false closes the account
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("provisioned person")
        verbose_name_plural = _("provisioned people")
        constraints = [
            models.UniqueConstraint(
                "organisation", models.functions.Lower("user_name"), name="api_person_user_name"
            ),
        ]

    def __str__(self):
        return self.user_name


class ProvisionedGroup(models.Model):
    """A group of an organisation's identity system (SCIM Groups). Linked to one of the
    organisation's cohorts, its members are that cohort's participants: someone added to the
    group is added and invited; someone taken out keeps their membership and their work (the
    organiser removes people from a cohort in Polku)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="provisioned_groups",
        verbose_name=_("organisation"),
    )
    display_name = models.CharField(_("name"), max_length=255)
    external_id = models.CharField(max_length=255, blank=True)
    members = models.ManyToManyField(ProvisionedPerson, related_name="groups", blank=True)
    cohort = models.ForeignKey(
        "people.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provisioned_groups",
        verbose_name=_("participants of"),
        help_text=_("The group's members join this cohort as participants and are invited."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("provisioned group")
        verbose_name_plural = _("provisioned groups")
        ordering = ["organisation", "display_name"]

    def __str__(self):
        return self.display_name
