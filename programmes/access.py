"""Access to the pages of a path, next to them (see polku.access for the people-level rules)."""

from collections.abc import Iterable

from polku.access import ALL_ROLES, cohort_page_get, membership_get

from .models import TrainingDayPage


def training_day_get(user, cohort_slug: str, page_id: int, roles: Iterable[str] = ALL_ROLES):
    """(membership, training day) for a day of the person's cohort's programme, or 404."""
    membership = membership_get(user, cohort_slug, roles=roles)
    return membership, cohort_page_get(membership, TrainingDayPage, page_id)
