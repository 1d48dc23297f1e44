"""Forms every app uses."""

from django import forms
from django.utils.translation import ngettext


class SwitchForm(forms.Form):
    """Turns something on or off (pin, hide): the button sends on=true or on=false."""

    on = forms.BooleanField(required=False)


class RemindForm(forms.Form):
    """The people to remind: one (a row's Remind button sends only=<id>) or those ticked
    (member=<id>, ...), among `people`, the (membership id, name) pairs that may be reminded."""

    member = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=False)
    only = forms.TypedChoiceField(coerce=int, choices=[], required=False, empty_value=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = people
        self.fields["only"].choices = people

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned["only"]] if cleaned.get("only") else cleaned.get("member", [])
        if not chosen:
            raise forms.ValidationError("nobody")
        cleaned["chosen"] = chosen
        return cleaned

    def sent_message(self) -> str:
        count = len(self.cleaned_data["chosen"])
        return ngettext(
            "A reminder goes to %(n)s person.", "A reminder goes to %(n)s people.", count
        ) % {"n": count}


def wants_json(request) -> bool:
    """The page's script asked (fetch with Accept: application/json); a plain form post wants
    the page back."""
    return "application/json" in request.headers.get("Accept", "")
