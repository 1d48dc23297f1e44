"""The audit log: who exported, erased, changed a role or read someone's answer, and when.

Entries name the person acted on by id and a label written at the time, not by a foreign key:
an erased person's entries stay, and say nothing more about them than they did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    EXPORT = "export", _("Personal data exported")
    ERASURE = "erasure", _("Person erased")
    RETENTION = "retention", _("Cohort's personal data anonymised")
    ROLE = "role", _("Role changed")
    ANSWER_READ = "answer_read", _("Answer read by staff")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("what"), max_length=300)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
