from django.urls import path

from . import views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("updates/", views.workspace_updates, name="workspace_updates"),
    path("posts/<int:post_id>/", views.post_update, name="post_update"),
    path("posts/<int:post_id>/files/<int:file_id>/", views.post_file, name="post_file"),
    path("notes/", views.notes, name="workspace_notes"),
    path("notes/history/", views.notes_history, name="workspace_notes_history"),
]
