"""What the live pages' POSTs carry."""

from django import forms

from .models import LiveQuestion


class QuestionCreateForm(forms.Form):
    """A question added on the spot. The service validates the question as a whole."""

    prompt = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=LiveQuestion.Kind.choices)
    choices = forms.CharField(required=False)  # one per line, for choice questions
    anonymous = forms.BooleanField(required=False)

    def options(self) -> dict:
        kind = self.cleaned_data["kind"]
        if kind in (LiveQuestion.Kind.SINGLE, LiveQuestion.Kind.MULTIPLE):
            lines = self.cleaned_data["choices"].splitlines()
            return {"choices": [line.strip() for line in lines if line.strip()]}
        if kind == LiveQuestion.Kind.SCALE:
            return {"min": 1, "max": 5}
        return {}


class WordForm(forms.Form):
    word = forms.CharField(required=False)


class LinkForm(forms.Form):
    assignment = forms.IntegerField(required=False)  # empty: brought back nowhere


class PublishForm(forms.Form):
    action = forms.CharField(required=False)  # "unpublish", or publishing
    note = forms.CharField(required=False, max_length=4000)
    correction = forms.CharField(required=False, max_length=300)


class CurationForm(forms.Form):
    """A trainer's hand on a summary (services.curation_set judges the combination)."""

    action = forms.CharField(required=False)
    theme = forms.CharField(required=False)
    into = forms.CharField(required=False)
    name = forms.CharField(required=False)
    answer = forms.IntegerField(required=False)


class AnswerForm(forms.Form):
    """A participant's answer: one value, or the list of those ticked for a multiple-choice
    question. The service judges it against the question and says what is wrong."""

    value = forms.Field(required=False)

    def __init__(self, *args, question: LiveQuestion, **kwargs):
        super().__init__(*args, **kwargs)
        if question.kind == LiveQuestion.Kind.MULTIPLE:
            self.fields["value"].widget = forms.SelectMultiple()  # reads every value sent
