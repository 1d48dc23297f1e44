"""A small group's workspace: a feed of posts (and peer-coaching threads) with comments, files
and "this helped me" marks, and a shared page of notes with its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Post(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Post")
        COACHING = "coaching", _("Peer coaching")  # one member's real situation; others ask

    small_group = models.ForeignKey(
        "people.SmallGroup", on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    # The composer's id for this post: a double tap or a resent form creates it once.
    client_key = models.CharField(max_length=64, blank=True)
    body = models.TextField(max_length=10_000)  # Markdown as written
    body_html = models.TextField()  # rendered and sanitised once, when written
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)  # material a trainer pinned
    hidden_at = models.DateTimeField(null=True, blank=True)  # hidden by a trainer, kept
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)  # a coaching thread's owner closed it
    outcome = models.TextField(blank=True, max_length=2000)  # ... with what they will do

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_key"],
                name="post_once_per_key",
                condition=~models.Q(client_key=""),
            ),
        ]
        indexes = [
            models.Index(fields=["small_group", "-id"]),
            models.Index(
                fields=["small_group", "-pinned_at"],
                name="workspaces_post_pinned",
                condition=models.Q(pinned_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.small_group_id} · {self.id}"

    @property
    def is_coaching(self) -> bool:
        return self.kind == self.Kind.COACHING


class PostFile(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="files")
    stored_file = models.OneToOneField(
        "uploads.StoredFile", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self):
        return str(self.stored_file_id)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5_000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.post_id} · {self.id}"


class HelpedMark(models.Model):
    """ "This helped me": a light thank-you, one per person and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helped_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helped_once")]

    def __str__(self):
        return f"{self.post_id} · {self.user_id}"


class GroupNote(models.Model):
    """The group's shared page: agreed rules, a task's summary. Versioned like answers."""

    small_group = models.OneToOneField(
        "people.SmallGroup", on_delete=models.CASCADE, related_name="note"
    )
    body = models.TextField(blank=True, max_length=50_000)
    body_html = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return str(self.small_group_id)


class GroupNoteRevision(models.Model):
    note = models.ForeignKey(GroupNote, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"{self.note_id} v{self.version}"


class WorkspaceVisit(models.Model):
    """When a person last opened their group's feed: posts and comments by others since then
    are marked new on their next visit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    small_group = models.ForeignKey("people.SmallGroup", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "small_group"], name="workspace_visit_once")
        ]

    def __str__(self):
        return f"{self.small_group_id} · {self.user_id}"


class SharedOutput(models.Model):
    """What a small group shared with its cohort: a snapshot of its notes, or of a group
    task's submitted result, filed under a training day and a theme. Together they are the
    cohort's library, its own toolkit of practices by the end of the year. Sharing again
    makes a new entry; the group can withdraw one."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Our notes")
        TASK = "task", _("A group task's result")

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    small_group = models.ForeignKey(
        "people.SmallGroup", on_delete=models.CASCADE, related_name="shared_outputs"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    assignment = models.ForeignKey(
        "programmes.AssignmentPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    training_day = models.ForeignKey(
        "programmes.TrainingDayPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=60, blank=True)
    body_html = models.TextField()  # sanitised when it was written (notes) or escaped (tasks)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["cohort", "shared_at"], name="workspaces_library")]

    def __str__(self):
        return self.title
