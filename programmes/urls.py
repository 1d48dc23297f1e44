from django.urls import include, path

from . import views
from .mypath import views as mypath_views

urlpatterns = [
    path("", mypath_views.cohort_path, name="cohort_path"),
    path("day/<int:page_id>/", views.training_day, name="cohort_training_day"),
    path("", include("programmes.assignments.urls")),
]
