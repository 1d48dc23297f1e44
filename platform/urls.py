from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api import scim
from api.v1 import api as api_v1
from impact import urls as impact_urls
from mentoring import urls as mentoring_urls
from polku import pwa
from polku.notifications import views as notification_views
from polku.people import views as people_views
from polku.uploads.resumable import resumable_create, resumable_upload
from polku.uploads.views import stored_file_captions
from programmes import materials
from programmes.live import urls as live_urls
from workspaces import urls as workspace_urls
from workspaces import views as workspace_views

cohort_urls = [
    path("", include("programmes.urls")),
    path("overview/", workspace_views.cohort_overview, name="cohort_overview"),
    path("participants/import/", people_views.participants_import, name="participants_import"),
    path(
        "participants/import/confirm/",
        people_views.participants_import_confirm,
        name="participants_import_confirm",
    ),
    path(
        "participants/import/template.csv",
        people_views.participants_import_template,
        name="participants_import_template",
    ),
    path("groups/<int:group_id>/", include("workspaces.urls")),
    path("", include(live_urls.cohort_patterns)),
    path("", include("progress.urls")),
    path("", include(impact_urls.cohort_patterns)),
    path("", include(mentoring_urls.cohort_patterns)),
    path("", include(workspace_urls.cohort_patterns)),
    path(
        "participants/<int:membership_id>/invite/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
]

urlpatterns = [
    path("", people_views.home, name="home"),
    path("ping/", people_views.ping, name="ping"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("language/", people_views.language_set, name="language_set"),
    path("calendar/", people_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:key>.ics", people_views.calendar_feed, name="calendar_feed"),
    path("invitation/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path(
        "notifications/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
    path("privacy/", include("privacy.urls")),
    path("uploads/", resumable_create, name="resumable_create"),
    path("uploads/<uuid:upload_id>/", resumable_upload, name="resumable_upload"),
    path("files/<uuid:file_id>/captions/", stored_file_captions, name="stored_file_captions"),
    path("c/<slug:cohort_slug>/", include(cohort_urls)),
    path("", include(live_urls.urlpatterns)),
    path("", include(impact_urls.urlpatterns)),
    path("mentoring/", include(mentoring_urls.urlpatterns)),
    path("api/v1/", api_v1.urls),
    path("scim/v2/", include(scim.urlpatterns)),
    path("accounts/sso/", people_views.sso_start, name="sso_start"),
    # allauth's pages for connecting accounts would list every organisation's provider.
    path("accounts/3rdparty/", people_views.not_here, name="socialaccount_connections"),
    path("accounts/3rdparty/signup/", people_views.not_here, name="socialaccount_signup"),
    path("accounts/", include("allauth.urls")),
    # Wagtail's login form would bypass the site login's rate limit: it forwards there.
    path("admin/login/", people_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("materials/<int:media_id>/", materials.material_media, name="material_media"),
    path("materials/file/<path:name>", materials.material_file, name="material_file"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves what is left: programme pages forward members to their cohort's view.
urlpatterns += [path("", include(wagtail_urls))]
