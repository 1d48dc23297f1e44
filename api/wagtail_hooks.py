"""API tokens in the Wagtail admin, for superusers: made for one organisation with the scopes
it may read, shown once, revoked with a tick. And the groups SCIM provisioned, which a
superuser links to one of the organisation's cohorts."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from polku.people.models import Cohort

from .models import ApiToken, ProvisionedGroup, Scope
from .services import group_cohort_sync


class ApiTokenForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("may read"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    revoked = forms.BooleanField(
        label=_("revoked"), required=False, help_text=_("A revoked token stops working at once.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked"].initial = bool(self.instance.revoked_at)
        if not self.instance.pk:
            del self.fields["revoked"]

    def save(self, commit=True):
        if self.cleaned_data.get("revoked") and not self.instance.revoked_at:
            self.instance.revoked_at = timezone.now()
        return super().save(commit=commit)


class ApiTokenCreateView(CreateView):
    def get_success_message(self, instance):
        return format_html(
            "{} <code>{}</code>",
            _("Token made. Copy it now: it is not shown again."),
            instance.raw_key,
        )

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class ApiTokenViewSet(SnippetViewSet):
    model = ApiToken
    icon = "key"
    add_view_class = ApiTokenCreateView
    list_display = ["name", "organisation", "key_start", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    menu_label = _("API tokens")
    add_to_settings_menu = True
    edit_handler = ObjectList(
        [
            FieldPanel("organisation"),
            FieldPanel("name"),
            FieldPanel("scopes"),
            FieldPanel("revoked"),
        ],
        base_form_class=ApiTokenForm,
    )


register_snippet(ApiTokenViewSet)


class ProvisionedGroupForm(WagtailAdminModelForm):
    """Only the link to a cohort is Polku's; the rest is the identity system's. The cohort is
    one of the group's own organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(
            organisation_id=self.instance.organisation_id
        )

    def save(self, commit=True):
        group = super().save(commit=commit)
        if commit:
            group_cohort_sync(group)
        return group


class SuperusersEditOnly(ModelPermissionPolicy):
    """Groups are made and removed by the identity system (SCIM), never in the admin."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in ("view", "change")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ProvisionedGroupViewSet(SnippetViewSet):
    model = ProvisionedGroup
    icon = "group"
    list_display = ["display_name", "organisation", "cohort"]
    list_filter = ["organisation"]
    menu_label = _("Provisioned groups")
    add_to_settings_menu = True
    edit_handler = ObjectList([FieldPanel("cohort")], base_form_class=ProvisionedGroupForm)


register_permission_policy(ProvisionedGroup, SuperusersEditOnly(ProvisionedGroup))
register_snippet(ProvisionedGroupViewSet)
