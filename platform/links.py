"""Signed links that point at a row: an invitation, a team member's survey. The token is
the row's id (or ids), signed with a salt of its own kind, so a link can neither be forged
nor reused for another kind of row."""

from django.core import signing


def link_token(value, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=True)


def link_value(token: str, salt: str):
    """What the link was signed with, or None for a forged or garbled link."""
    try:
        return signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
