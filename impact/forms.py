"""What the survey pages POST."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .anonymity import CANT_SAY
from .models import WeeklyReflection
from .services import TEXT_MAX

SCALE_LABELS = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, pgettext_lazy("agree scale", "Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
    (CANT_SAY, _("Can't say")),
]


class SurveyForm(forms.Form):
    """One field per item of the instrument, none required: a partial answer is an answer.
    Fields are named item-<version id>, so a version edited while someone answers is still
    stored against the words they saw."""

    def __init__(self, *args, items, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.language = items, language
        for item in items:
            label = item.text(language)
            if item.is_statement:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=SCALE_LABELS,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=label, required=False, max_length=TEXT_MAX, widget=forms.Textarea
                )
            field.item = item
            self.fields[f"item-{item.id}"] = field

    def answers(self) -> tuple[dict, dict]:
        """{item id: 1–5 or 0}, {item id: text}: only what was answered."""
        values, texts = {}, {}
        for name, value in self.cleaned_data.items():
            item_id = name.removeprefix("item-")
            if isinstance(value, int):
                values[item_id] = value
            elif isinstance(value, str) and value.strip():
                texts[item_id] = value.strip()
        return values, texts

    def sections(self):
        """[(section title, [bound fields])] in the instrument's order."""
        grouped = []
        for name, field in self.fields.items():
            title = field.item.section_title(self.language)
            if not grouped or grouped[-1][0] != title:
                grouped.append((title, []))
            grouped[-1][1].append(self[name])
        return grouped


class TeamMembersForm(forms.Form):
    emails = forms.CharField(
        label=_("Team members' email addresses"),
        help_text=_("Paste or type them, one per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = WeeklyReflection
        fields = ["went_well", "develop", "act", "shared_with_trainer"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 3}),
            "develop": forms.Textarea(attrs={"rows": 3}),
            "act": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "act": _("For example: a morning coffee where the team shared their successes."),
            "shared_with_trainer": _("Only you see it otherwise."),
        }


class ReminderForm(forms.Form):
    weekly_reminder = forms.BooleanField(required=False)
