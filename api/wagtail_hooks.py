"""API tokens in the Wagtail admin, for superusers: made for one organisation with the scopes
it may read, shown once, revoked with a tick."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import ApiToken, Scope


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
