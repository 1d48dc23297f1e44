"""Reads of mentoring for other pages: the programmes' figures on the progress dashboard."""

from django.db.models import Q

from polku.panels import Panel

from . import services
from .models import MentoringProgramme


def dashboard_figures(membership) -> Panel | None:
    """The cohort's programmes (and the organisation's) with their stored figures: one
    query. Figures only, for trainers and organisers alike."""
    cohort = membership.cohort
    programmes = list(
        MentoringProgramme.objects.filter(organisation_id=cohort.organisation_id)
        .filter(Q(cohort=cohort) | Q(cohort=None))
        .order_by("-starts_on")
    )
    if not programmes:
        return None
    return Panel(
        "mentoring/includes/dashboard.html",
        {
            "programmes": [
                {
                    "programme": programme,
                    "figures": programme.figures,
                    "checkin_rate": services.checkin_rate(programme.figures),
                    "hours_share": services.minimum_hours_share(programme.figures),
                }
                for programme in programmes
            ],
            "can_open": membership.is_organiser,
            "cohort": cohort,
        },
    )
