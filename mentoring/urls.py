from django.urls import path

from . import views

# Inside /c/<cohort_slug>/.
cohort_patterns = [
    path("mentoring/", views.mentoring_programmes, name="mentoring_programmes"),
    path("mentoring/new/", views.mentoring_programme_new, name="mentoring_programme_new"),
]
