"""QR codes for links people open on their phones (live join, check-in), drawn as inline SVG."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself from the URL's bits; nothing from a person goes into it.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=8, dark="#1b2a41"))  # noqa: S308
