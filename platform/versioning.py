"""Optimistic concurrency for text that several people edit (answers, group notes)."""

from django.db.models import F


def compare_and_set(model, pk, base_version: int, **changes) -> bool:
    """Writes `changes` and bumps `version` only if the row is still at `base_version`, in one
    UPDATE. False means someone saved first: the caller shows them the newer text."""
    return bool(
        model.objects.filter(pk=pk, version=base_version).update(
            version=F("version") + 1, **changes
        )
    )
