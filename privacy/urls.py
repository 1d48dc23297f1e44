from django.urls import path

from . import views

urlpatterns = [
    path("", views.privacy_home, name="privacy_home"),
    path("exports/<int:export_id>/", views.data_export_download, name="data_export_download"),
]

admin_urlpatterns = [
    path("people/", views.admin_people, name="privacy_admin_people"),
    path("people/<int:user_id>/", views.admin_person, name="privacy_admin_person"),
    path(
        "people/<int:user_id>/export/",
        views.admin_person_export,
        name="privacy_admin_person_export",
    ),
    path(
        "people/<int:user_id>/erase/", views.admin_person_erase, name="privacy_admin_person_erase"
    ),
    path("exports/<int:export_id>/", views.admin_export_download, name="privacy_admin_download"),
]
