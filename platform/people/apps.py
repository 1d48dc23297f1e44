from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "polku.people"
    label = "people"
    verbose_name = _("People and cohorts")

    def ready(self):
        # Bind @shared_task to our Celery app in every process that loads Django.
        from polku import celery  # noqa: F401

        from . import versions

        versions.connect()
