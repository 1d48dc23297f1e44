"""What every export shares."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value for a spreadsheet cell that a spreadsheet never runs: text that starts like a
    formula gets a leading apostrophe (OWASP "CSV injection")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
