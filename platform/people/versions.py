"""The versions that cached reads of people and cohorts depend on (polku.caching.cached).

- STRUCTURE: organisations, cohorts, small groups, the programmes' pages and the cohorts'
  calendars. They change when someone edits them, rarely during a training day; every change
  bumps the one version, so a cached path or membership is never older than the last edit.
- member_version(user_id): the person's memberships (role, small group, joined).
- user_version(user_id): the person themself (polku.people.auth keeps the logged-in user).
- NAMES: how anyone is shown to others (name, email, erased): lists that show many people
  (a group's feed) depend on it. A login, which saves only last_login, leaves it.
- MEMBERSHIPS: anyone's memberships, for lists of a group's or cohort's people (whom a post
  can @mention). Memberships change when people are invited or moved, not during a day.

Changes through a model's save or delete bump by signal; a bulk `update()` of these models
must call version_bump itself (people.services.memberships_join does)."""

from django.db.models.signals import post_delete, post_save

from polku.caching import version_bump

STRUCTURE = "structure"
NAMES = "names"
MEMBERSHIPS = "memberships"
SHOWN_FIELDS = {"first_name", "last_name", "email", "erased_at"}  # what str(user) reads


def member_version(user_id: int) -> str:
    return f"member:{user_id}"


def user_version(user_id) -> str:
    return f"user:{user_id}"


def structure_changed(**_kwargs) -> None:
    version_bump(STRUCTURE)


def membership_changed(instance, **_kwargs) -> None:
    version_bump(member_version(instance.user_id), MEMBERSHIPS)


def user_changed(instance, update_fields=None, **_kwargs) -> None:
    version_bump(user_version(instance.pk))
    if update_fields is None or SHOWN_FIELDS & set(update_fields):
        version_bump(NAMES)


def connect() -> None:
    from .models import Cohort, Membership, Organisation, SmallGroup, User

    for model in (Organisation, Cohort, SmallGroup):
        post_save.connect(structure_changed, sender=model, weak=False)
        post_delete.connect(structure_changed, sender=model, weak=False)
    post_save.connect(membership_changed, sender=Membership, weak=False)
    post_delete.connect(membership_changed, sender=Membership, weak=False)
    post_save.connect(user_changed, sender=User, weak=False)
    post_delete.connect(user_changed, sender=User, weak=False)
