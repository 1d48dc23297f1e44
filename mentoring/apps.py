from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring and upward coaching")

    def ready(self):
        from polku.panels import DASHBOARD, panel

        from .selectors import dashboard_figures

        # The programmes' figures join the cohort's progress dashboard (progress does not
        # import mentoring: see polku.panels).
        panel(DASHBOARD)(dashboard_figures)

        # Planned sessions in the pair's calendar feeds (polku.calendars).
        from . import calendars  # noqa: F401
