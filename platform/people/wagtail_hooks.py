"""Cohorts and organisations are edited in Wagtail's admin, with each cohort's calendar inline."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from polku import events

from .models import Cohort, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("retention_months"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sso_protocol"), FieldPanel("sso_required")]),
                FieldPanel("sso_issuer"),
                FieldRowPanel([FieldPanel("sso_client_id"), FieldPanel("sso_client_secret")]),
                FieldPanel("sso_login_url"),
                FieldPanel("sso_certificate"),
            ],
            heading=_("Single sign-on"),
        ),
        InlinePanel("email_domains", heading=_("Email domains"), label=_("Email domain")),
    ]


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    list_display = ["name", "organisation", "programme"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("slug"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("programme")]),
            ],
            heading=_("Cohort"),
        ),
        InlinePanel("training_days", heading=_("Training days"), label=_("Training day")),
        InlinePanel("assignments", heading=_("Assignments"), label=_("Assignment")),
        InlinePanel("survey_waves", heading=_("Team survey waves"), label=_("Wave")),
    ]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, CohortViewSet)
    menu_icon = "group"
    menu_label = _("Cohorts")
    menu_name = "cohorts"


register_snippet(PeopleViewSetGroup)


@hooks.register("after_edit_snippet")
def cohort_calendar_changed(request, instance):
    """Dates moved in a cohort's calendar change everyone's figures (what is due, what is
    held): recompute them now rather than at night."""
    if isinstance(instance, Cohort):
        events.COHORT_CHANGED.announce(cohort_id=instance.id)
