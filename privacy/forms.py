from django import forms
from django.utils.translation import gettext_lazy as _


class PersonFindForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class EraseForm(forms.Form):
    confirm = forms.EmailField(
        label=_("Type the person's email address to confirm"),
        help_text=_("Erasure cannot be undone."),
    )

    def __init__(self, *args, person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().lower() != self.person.email.lower():
            raise forms.ValidationError(_("That is not this person's email address."))
        return self.cleaned_data["confirm"]
