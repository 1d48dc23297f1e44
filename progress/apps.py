from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    label = "progress"
    verbose_name = _("Progress")

    def ready(self):
        """Progress keeps its figures from what the features announce (polku.events)."""
        from polku import events

        from . import services

        events.PARTICIPANTS_CHANGED.subscribe(services.participants_changed)
        events.USERS_CHANGED.subscribe(services.users_changed)
        events.GROUP_CHANGED.subscribe(services.group_changed)
        events.COHORT_CHANGED.subscribe(services.cohort_changed)
        events.USER_ACTIVE.subscribe(services.user_active)
