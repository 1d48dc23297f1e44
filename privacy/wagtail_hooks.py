from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .urls import admin_urlpatterns


@hooks.register("register_admin_urls")
def privacy_admin_urls():
    return [path("privacy/", include(admin_urlpatterns))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def privacy_menu_item():
    return SuperuserMenuItem(
        _("Personal data"), reverse("privacy_admin_people"), icon_name="user", order=900
    )
