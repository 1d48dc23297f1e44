from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Development paths")

    def ready(self):
        # A path's pages and a cohort's calendar are part of the cached structure
        # (polku.people.versions): publishing, unpublishing, moving or deleting a page, or
        # changing a date, shows on every page at once.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from polku.people.versions import structure_changed

        from .models import AssignmentSchedule, TrainingDaySchedule

        for model in (TrainingDaySchedule, AssignmentSchedule):
            post_save.connect(structure_changed, sender=model, weak=False)
            post_delete.connect(structure_changed, sender=model, weak=False)
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(structure_changed, weak=False)
        post_delete.connect(structure_changed, sender=Page, weak=False)

        # A trainer's video or sound is made playable when saved (programmes.materials).
        from .materials import material_media_deleted, material_media_saved
        from .models import MaterialMedia

        post_save.connect(material_media_saved, sender=MaterialMedia, weak=False)
        post_delete.connect(material_media_deleted, sender=MaterialMedia, weak=False)

        # The path's dates in people's calendar feeds (polku.calendars).
        from . import calendars  # noqa: F401
