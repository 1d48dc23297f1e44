from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "polku.uploads"
    label = "uploads"
    verbose_name = _("Uploads")

    def ready(self):
        import pillow_heif

        pillow_heif.register_heif_opener()  # photos from iPhones (HEIC/HEIF)
