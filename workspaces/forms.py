"""What a workspace's POSTs carry. Length and emptiness are the services' to judge (their
messages say what to do), so these forms only read and type the fields."""

from django import forms

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
