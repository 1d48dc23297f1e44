"""Small filters for the results tables."""

from django import template

register = template.Library()


@register.filter
def index(sequence, position):
    """The item at `position` of a list (waves and their cells go side by side)."""
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return None


@register.filter
def absolute(value):
    return abs(value) if value is not None else None
