"""What the organiser's programme form POSTs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MentoringProgramme


class ProgrammeForm(forms.ModelForm):
    organisation_wide = forms.BooleanField(
        label=_("For the whole organisation, not only this cohort"), required=False
    )

    class Meta:
        model = MentoringProgramme
        fields = [
            "name",
            "kind",
            "focus_area",
            "focus_other",
            "problem",
            "in_house",
            "mentor_criteria",
            "starts_on",
            "ends_on",
            "minimum_hours",
            "weekly_weeks",
            "recognition_plan",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "in_house": forms.Textarea(attrs={"rows": 2}),
            "mentor_criteria": forms.Textarea(attrs={"rows": 2}),
            "recognition_plan": forms.Textarea(attrs={"rows": 2}),
        }
