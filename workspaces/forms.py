"""What a workspace's POSTs carry. Length and emptiness are the services' to judge (their
messages say what to do), so these forms only read and type the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Post


class PostForm(forms.Form):
    body = forms.CharField(required=False, strip=False)
    kind = forms.ChoiceField(choices=Post.Kind.choices, required=False)
    client_key = forms.CharField(required=False, max_length=64)


class BodyForm(forms.Form):
    """A post's new text, or a comment."""

    body = forms.CharField(required=False, strip=False)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(required=False, strip=False)


class EmptyForm(forms.Form):
    """A POST that carries nothing but its CSRF token (delete, "this helped me")."""


class NoteForm(forms.Form):
    body = forms.CharField(required=False, strip=False)
    version = forms.IntegerField(required=False)


class ShareForm(forms.Form):
    """What the group shares with the cohort's library: its notes, or a submitted task."""

    what = forms.ChoiceField(label=_("What to share"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(
        label=_("Theme"),
        max_length=60,
        required=False,
        help_text=_("A word or two the library groups it under, e.g. feedback."),
    )
    day = forms.TypedChoiceField(
        label=_("Training day it belongs to"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, days=(), tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("note", _("Our notes"))] + [
            (str(task["page"].id), task["page"].title) for task in tasks
        ]
        self.fields["day"].choices = [("", "—")] + [(day.id, day.title) for day in days]
