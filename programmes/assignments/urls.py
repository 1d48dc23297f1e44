from django.urls import path

from . import views

urlpatterns = [
    path("assignment/<int:page_id>/", views.assignment_page, name="cohort_assignment"),
    path("assignment/<int:page_id>/answer/", views.answer_save, name="answer_save"),
    path(
        "assignment/<int:page_id>/answer/files/",
        views.answer_file_upload,
        name="answer_file_upload",
    ),
    path("assignment/<int:page_id>/answers/", views.review_list, name="review_list"),
    path("assignment/<int:page_id>/answers/remind/", views.review_remind, name="review_remind"),
    path("answers/<int:answer_id>/", views.answer_detail, name="answer_detail"),
    path("answers/<int:answer_id>/files/<int:file_id>/", views.answer_file, name="answer_file"),
    path("answers/<int:answer_id>/comments/", views.answer_comment, name="answer_comment"),
    path("answers/<int:answer_id>/reviewed/", views.answer_reviewed, name="answer_reviewed"),
]
