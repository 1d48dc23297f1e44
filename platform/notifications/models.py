"""Which emails a person wants, and which ones were sent (each at most once)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately, one email for each new post or comment")
        DAILY = "daily", _("A daily digest")
        NONE = "none", _("No emails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.DAILY)
    reminders = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.user_id} · {self.mode}"


class Notice(models.Model):
    """One email, claimed before it is sent: a digest for a person and day, a notice about a
    post, a reminder about a due date. The unique key is what makes a retried or restarted
    task send nothing twice (at most once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "digest:2026-11-24", "post:12", "due-soon:7"
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once")]

    def __str__(self):
        return f"{self.user_id} · {self.key}"
