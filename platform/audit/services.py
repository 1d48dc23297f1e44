from .models import Action, AuditEntry


def audit_record(*, actor, action: Action, summary: str, subject_id: int | None = None) -> None:
    """Writes one entry, in the caller's transaction: what is undone is not logged as done."""
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        summary=summary[:300],
        subject_id=subject_id,
    )
