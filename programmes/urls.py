from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.cohort_path, name="cohort_path"),
    path("day/<int:page_id>/", views.training_day, name="cohort_training_day"),
    path("", include("programmes.assignments.urls")),
]
