from django.urls import path

from . import views

# Inside /c/<cohort_slug>/
cohort_patterns = [
    path("commitments/", views.live_commitments, name="live_commitments"),
    path("day/<int:page_id>/live/", views.live_day, name="live_day"),
    path(
        "day/<int:page_id>/live/questions/", views.live_question_create, name="live_question_create"
    ),
    path("day/<int:page_id>/live/projector/", views.live_projector, name="live_projector"),
    path("day/<int:page_id>/live/summaries/", views.live_summaries, name="live_summaries"),
    path("day/<int:page_id>/live/publish/", views.live_publish, name="live_publish"),
    path("day/<int:page_id>/summary.pdf", views.live_summary_pdf, name="live_summary_pdf"),
    path("day/<int:page_id>/summary.xlsx", views.live_summary_xlsx, name="live_summary_xlsx"),
    path("live/<int:question_id>/open/", views.live_question_open, name="live_question_open"),
    path("live/<int:question_id>/close/", views.live_question_close, name="live_question_close"),
    path("live/<int:question_id>/hide/", views.live_question_hide, name="live_question_hide"),
    path("live/<int:question_id>/exclude/", views.live_word_exclude, name="live_word_exclude"),
    path("live/<int:question_id>/curate/", views.live_curate, name="live_curate"),
    path(
        "live/<int:question_id>/follow-up/",
        views.live_commitment_link,
        name="live_commitment_link",
    ),
    path(
        "day/<int:page_id>/live/ask/<int:question_id>/",
        views.live_commitment_ask,
        name="live_commitment_ask",
    ),
    path("live/<int:question_id>/answer/", views.live_answer, name="live_answer"),
    path("live/<int:question_id>/answers.csv", views.live_answers_csv, name="live_answers_csv"),
]
# At the top level: a short code to join, and the projector's signed poll.
urlpatterns = [
    path("live/r/<str:token>/", views.live_room_poll, name="live_room_poll"),
    path(
        "live/p/<str:token>/<int:question_id>/",
        views.live_projector_poll,
        name="live_projector_poll",
    ),
    path("live/<str:code>/", views.live_join, name="live_join"),
]
