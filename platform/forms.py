"""Forms every app uses."""

from django import forms


class SwitchForm(forms.Form):
    """Turns something on or off (pin, hide): the button sends on=true or on=false."""

    on = forms.BooleanField(required=False)
