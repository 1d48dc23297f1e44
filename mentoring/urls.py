from django.urls import path

from . import pair_views, views

# Inside /c/<cohort_slug>/: the organisers' side.
cohort_patterns = [
    path("mentoring/", views.mentoring_programmes, name="mentoring_programmes"),
    path("mentoring/new/", views.mentoring_programme_new, name="mentoring_programme_new"),
    path("mentoring/<int:programme_id>/", views.mentoring_programme, name="mentoring_programme"),
    path(
        "mentoring/<int:programme_id>/people/",
        views.mentoring_profiles,
        name="mentoring_profiles",
    ),
    path(
        "mentoring/<int:programme_id>/pairs/new/",
        views.mentoring_pair_new,
        name="mentoring_pair_new",
    ),
    path(
        "mentoring/<int:programme_id>/pairs/<int:pair_id>/",
        views.mentoring_pair_act,
        name="mentoring_pair_act",
    ),
    path(
        "mentoring/<int:programme_id>/pairs/<int:pair_id>/message/",
        views.mentoring_pair_message,
        name="mentoring_pair_message",
    ),
    path(
        "mentoring/<int:programme_id>/recognition/",
        views.mentoring_recognition,
        name="mentoring_recognition",
    ),
    path(
        "mentoring/<int:programme_id>/export.<str:fmt>",
        views.mentoring_export,
        name="mentoring_export",
    ),
]

# Under /mentoring/: the person's own, and the pair's space (the two's alone).
urlpatterns = [
    path("", pair_views.mentoring_home, name="mentoring_home"),
    path("pairs/<int:pair_id>/", pair_views.mentoring_pair, name="mentoring_pair"),
    path(
        "pairs/<int:pair_id>/sessions/",
        pair_views.mentoring_session_log,
        name="mentoring_session_log",
    ),
    path(
        "pairs/<int:pair_id>/sessions/<int:session_id>/cancel/",
        pair_views.mentoring_session_cancel,
        name="mentoring_session_cancel",
    ),
    path("pairs/<int:pair_id>/goals/", pair_views.mentoring_goal_add, name="mentoring_goal_add"),
    path(
        "pairs/<int:pair_id>/goals/<int:goal_id>/",
        pair_views.mentoring_goal_done,
        name="mentoring_goal_done",
    ),
    path("pairs/<int:pair_id>/notes/", pair_views.mentoring_note_add, name="mentoring_note_add"),
    path("pairs/<int:pair_id>/check-in/", pair_views.mentoring_check_in, name="mentoring_check_in"),
    path("pairs/<int:pair_id>/end/", pair_views.mentoring_pair_end, name="mentoring_pair_end"),
    path(
        "pairs/<int:pair_id>/guides/<int:page_id>/",
        pair_views.mentoring_guide,
        name="mentoring_guide",
    ),
    path(
        "pairs/<int:pair_id>/certificate.pdf",
        pair_views.mentoring_certificate,
        name="mentoring_certificate",
    ),
    path("coaching/<int:programme_id>/", pair_views.mentoring_coaches, name="mentoring_coaches"),
    path("join/<str:token>/", pair_views.mentoring_join, name="mentoring_join"),
]
