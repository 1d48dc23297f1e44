from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "programmes.assignments"
    label = "assignments"
    verbose_name = _("Assignment answers")

    def ready(self):
        from . import versions

        versions.connect()
