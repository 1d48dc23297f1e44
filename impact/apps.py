from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact surveys")

    def ready(self):
        from wagtail.signals import page_published

        from .models import SurveyPage

        # However a survey is published (the editor, scheduled publishing, the demo), its item
        # versions follow: a thin handler, the rule is in services.survey_items_sync.
        def survey_published(sender, instance, **kwargs):
            from .services import survey_items_sync

            survey_items_sync(survey=instance)

        page_published.connect(survey_published, sender=SurveyPage, weak=False)
