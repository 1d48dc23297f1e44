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
def scale_width(mean) -> int:
    """A mean on 1–5 as the width of a bar, 0–100 %."""
    return round((mean - 1) * 25) if mean is not None else 0


@register.filter
def absolute(value):
    return abs(value) if value is not None else None
