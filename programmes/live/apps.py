from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "programmes.live"
    label = "live"
    verbose_name = _("Live feedback")

    def ready(self):
        from polku.panels import ASSIGNMENT, panel

        from . import versions
        from .selectors import commitment_panel

        versions.connect()

        # A participant's commitment comes back in the assignment its trainer linked it to
        # (assignments do not import live: see polku.panels).
        panel(ASSIGNMENT)(commitment_panel)
