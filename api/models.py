"""Tokens with which an organisation's own systems read Polku (the read API, api.v1)."""

import hashlib
import secrets

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


TOKEN_PREFIX = "polku_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


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
