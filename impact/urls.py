from django.urls import path

from . import views

# Inside /c/<cohort_slug>/.
cohort_patterns = [
    path("team/", views.team, name="team"),
    path("team/members/", views.team_members_add, name="team_members_add"),
    path(
        "team/members/<int:member_id>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path("team/waves/<int:wave_id>/self/", views.self_assessment, name="self_assessment"),
    path("team/waves/<int:wave_id>/link/", views.team_link, name="team_link"),
    path("reflections/", views.reflections, name="reflections"),
    path("reflections/reminder/", views.reflection_reminder, name="reflection_reminder"),
    path("impact/", views.impact_cohort, name="impact_cohort"),
    path("impact/people/<int:membership_id>/", views.impact_person, name="impact_person"),
    path("impact/export.<str:fmt>", views.impact_export, name="impact_export"),
]

# Team members: no account, no cohort in the address.
urlpatterns = [
    path("s/<str:token>/", views.team_survey, name="team_survey"),
    path("t/<str:token>/", views.team_survey_link, name="team_survey_link"),
]
