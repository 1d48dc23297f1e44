"""The authentication backends: Django's and allauth's, reading the logged-in person through
the shared cache. Every request asks who is asking; a cached user saves the query (about a
third of a trivial logged-in request's CPU, docs/performance.md).

Never stale: the entry is kept under the person's version (polku.caching.cached), which every
save or delete of the user bumps (versions.connect), so a deactivation, a new password or an
erasure is seen by the next request. An inactive person is never kept (get_user answers None,
and None is not cached). The copy holds what the row holds, the password hash included (the
session check derives from it): the cache is as private as the database, and as sessions."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from polku.caching import cached

from .versions import user_version


class _CachedUser:
    def get_user(self, user_id):
        return cached(
            f"polku:user:{user_id}",
            lambda: super(_CachedUser, self).get_user(user_id),
            versions=[user_version(user_id)],
        )


class ModelBackend(_CachedUser, DjangoModelBackend):
    """Passwords, and logins made by Polku itself (an accepted invitation, a pair's link)."""


class AuthenticationBackend(_CachedUser, AllauthBackend):
    """allauth's: log in by email."""
