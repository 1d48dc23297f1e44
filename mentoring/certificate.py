"""The certificate of participation in a mentoring programme, a one-page PDF (polku.pdf)."""

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.pdf import Document

from .models import Milestone


def certificate_pdf(*, pair, user, hours: float) -> bytes:
    """The person's certificate for this pair's programme: who, in which programme, which
    role, the period, the hours held and the milestones reached."""
    programme = pair.programme
    role = _("Mentor") if user.id == pair.mentor_id else _("Mentee")
    if programme.is_upward:
        role = _("Coach") if user.id == pair.mentor_id else _("Supervisor coached")
    with translation.override(user.language or translation.get_language()):
        lines = [
            (_("Certificate of participation"), "B", 26),
            (user.get_full_name() or user.email, "B", 20),
            (_("took part in the mentoring programme"), "", 13),
            (f"{programme.name} ({programme.get_kind_display()})", "B", 15),
            (
                _("%(role)s · %(start)s – %(end)s")
                % {
                    "role": role,
                    "start": date_format(programme.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(programme.ends_on, "SHORT_DATE_FORMAT"),
                },
                "",
                13,
            ),
            (
                _("%(hours)s hours of sessions (minimum %(minimum)s)")
                % {"hours": f"{hours:.1f}", "minimum": programme.minimum_hours},
                "",
                13,
            ),
        ]
        reached = [m.get_kind_display() for m in Milestone.objects.filter(pair=pair)]
        if reached:
            lines.append((_("Milestones: %(list)s") % {"list": ", ".join(reached)}, "", 11))
        lines.append(
            (
                _("Issued %(date)s by Polku for %(organisation)s")
                % {
                    "date": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
                    "organisation": programme.organisation.name,
                },
                "I",
                10,
            )
        )
    pdf = Document(lines[0][0], orientation="landscape")
    pdf.set_draw_color(11, 110, 79)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(40)
    for text, style, size in lines:
        pdf.line(text, style, size, align="C")
    return pdf.bytes()
