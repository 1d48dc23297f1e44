from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(choices=NotificationPreference.Mode.choices)
    reminders = forms.BooleanField(required=False)
