"""What an answer's POSTs carry."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .parts import TEXT_MAX, AnswerPart
from .selectors import AnswerStatus


class AnswerForm(forms.Form):
    """An answer being saved: the version it was based on, its text parts, and which button
    was pressed (Submit, or a file's Remove). Autosave sends the same form as "Save draft"."""

    version = forms.IntegerField(required=False)
    # The Submit button sends submit_answer=true. (A control named "submit" would hide the
    # form element's submit().)
    submit_answer = forms.BooleanField(required=False)
    remove_file = forms.IntegerField(required=False)  # a file's Remove button sends its id

    def __init__(self, *args, parts: list[AnswerPart], **kwargs):
        super().__init__(*args, **kwargs)
        self.text_parts = [part for part in parts if not part.takes_files]
        for part in self.text_parts:
            self.fields[f"part-{part.id}"] = forms.CharField(required=False)

    def base_version(self) -> int:
        """The version the person edited; a missing one (-1) always meets a newer answer as a
        conflict, never overwrites it."""
        version = self.cleaned_data.get("version")
        return -1 if version is None else version

    def content(self) -> tuple[dict, list[str]]:
        """The answer's text parts, and what was wrong. A wrong value is dropped with a
        message; the rest is kept."""
        content, errors = {}, []
        for part in self.text_parts:
            value = self.cleaned_data.get(f"part-{part.id}", "")
            if part.kind == "scale" and value not in {"", "1", "2", "3", "4", "5"}:
                errors.append(
                    _("“%(label)s”: choose a number from 1 to 5.") % {"label": part.label}
                )
                value = ""
            elif part.kind == "choice" and value and value not in part.choices:
                errors.append(_("“%(label)s”: choose one of the choices.") % {"label": part.label})
                value = ""
            elif len(value) > TEXT_MAX:
                message = ngettext(
                    "“%(label)s” is too long; the first %(n)s character was kept.",
                    "“%(label)s” is too long; the first %(n)s characters were kept.",
                    TEXT_MAX,
                )
                errors.append(message % {"label": part.label, "n": TEXT_MAX})
                value = value[:TEXT_MAX]
            content[part.id] = value
        return content, errors


class FileUploadForm(forms.Form):
    """One file the page's uploader has sent (a resumable upload's id), with the part it
    belongs to and the browser's key for it (a retry sends the same key)."""

    part = forms.CharField()
    client_key = forms.CharField(max_length=40)
    upload = forms.UUIDField()


class CommentForm(forms.Form):
    body = forms.CharField(required=False, strip=False)  # the service says what is wrong


class ReviewedForm(forms.Form):
    reviewed = forms.BooleanField(required=False)


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(choices=AnswerStatus.choices, required=False)
