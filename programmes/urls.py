from django.urls import include, path

from . import views
from .mypath import views as mypath_views

urlpatterns = [
    path("", mypath_views.cohort_path, name="cohort_path"),
    path("day/<int:page_id>/", views.training_day, name="cohort_training_day"),
    path("day/<int:page_id>/join/", views.training_day_join, name="training_day_join"),
    path("day/<int:page_id>/invitations/", views.day_invitations, name="day_invitations"),
    path("", include("programmes.assignments.urls")),
]
