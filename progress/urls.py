from django.urls import path

from . import views

urlpatterns = [
    path("progress/", views.progress_dashboard, name="progress_dashboard"),
    path("progress/nudge/", views.progress_nudge, name="progress_nudge"),
    path("progress/groups/<int:group_id>/", views.progress_group, name="progress_group"),
    path("progress/people/", views.progress_people, name="progress_people"),
    path("progress/people/<int:membership_id>/", views.progress_person, name="progress_person"),
    path("progress/export/<str:table>.<str:fmt>", views.progress_export, name="progress_export"),
    path("day/<int:page_id>/attendance/", views.attendance, name="attendance"),
    path("day/<int:page_id>/attendance/qr/", views.attendance_qr, name="attendance_qr"),
    path("day/<int:page_id>/check-in/<str:token>/", views.check_in, name="check_in"),
]
