"""The version a group's cached feed depends on (polku.caching.cached): every save or delete of
its posts, comments, files (and their processing) and "this helped me" marks bumps it, by
signal, so the next read of the feed builds afresh. Nothing changes these models with a bulk
update()."""

from django.db.models.signals import post_delete, post_save

from polku.caching import version_bump


def feed_version(group_id: int) -> str:
    return f"feed:{group_id}"


def workspace_visit_version(user_id: int) -> str:
    """When the person last opened their groups' feeds (services.workspace_visit_record)."""
    return f"workspace-visits:{user_id}"


def _post_changed(instance, **_kwargs) -> None:
    version_bump(feed_version(instance.small_group_id))


def _part_changed(instance, **_kwargs) -> None:
    """A comment, file or mark: its post's group. A post deleted with its parts (a cascade)
    has already bumped the group itself, and may be gone from the database by now."""
    from .models import Post

    if type(instance).post.is_cached(instance):
        group_id = instance.post.small_group_id
    else:
        posts = Post.objects.filter(id=instance.post_id)
        group_id = posts.values_list("small_group_id", flat=True).first()
    if group_id:
        version_bump(feed_version(group_id))


def _stored_file_changed(instance, **_kwargs) -> None:
    """A post's video shows as processing, ready or failed: its processing is a change of
    the feed. A photo's state is not in the feed's HTML (its URL serves a placeholder until
    it is ready), so a photo's save costs no query here."""
    from .models import PostFile

    if instance.kind != instance.Kind.VIDEO:
        return
    groups = PostFile.objects.filter(stored_file_id=instance.pk).values_list(
        "post__small_group_id", flat=True
    )
    for group_id in groups:
        version_bump(feed_version(group_id))


def connect() -> None:
    from polku.uploads.models import StoredFile

    from .models import Comment, HelpedMark, Post, PostFile

    post_save.connect(_stored_file_changed, sender=StoredFile, weak=False)
    post_save.connect(_post_changed, sender=Post, weak=False)
    post_delete.connect(_post_changed, sender=Post, weak=False)
    for model in (Comment, HelpedMark, PostFile):
        post_save.connect(_part_changed, sender=model, weak=False)
        post_delete.connect(_part_changed, sender=model, weak=False)
