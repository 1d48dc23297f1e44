from django.urls import path

from . import views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("updates/", views.workspace_updates, name="workspace_updates"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:post_id>/pin/", views.post_pin, name="post_pin"),
    path("posts/<int:post_id>/helped/", views.post_helped, name="post_helped"),
    path("posts/<int:post_id>/comments/", views.comment_add, name="comment_add"),
    path(
        "posts/<int:post_id>/comments/<int:comment_id>/hide/",
        views.comment_hide,
        name="comment_hide",
    ),
    path("posts/<int:post_id>/close/", views.coaching_close, name="coaching_close"),
    path("posts/<int:post_id>/files/<int:file_id>/", views.post_file, name="post_file"),
    path("notes/", views.notes, name="workspace_notes"),
    path("notes/history/", views.notes_history, name="workspace_notes_history"),
    path("share/", views.output_share, name="output_share"),
    path("share/<int:output_id>/withdraw/", views.output_withdraw, name="output_withdraw"),
]

# Inside /c/<cohort_slug>/: the cohort's library of what its groups shared.
cohort_patterns = [
    path("library/", views.library, name="library"),
    path("library.<str:fmt>", views.library_export, name="library_export"),
    path("commitments/<int:answer_id>/share/", views.commitment_share, name="commitment_share"),
]
