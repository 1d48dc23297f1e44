"""What the organiser's programme form POSTs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MentoringProgramme

# A phone's date picker reads and writes ISO dates, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_choices(people) -> list:
    return [("", "—")] + [(person.id, person.get_full_name() or person.email) for person in people]


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
            "starts_on": DATE,
            "ends_on": DATE,
            "problem": forms.Textarea(attrs={"rows": 3}),
            "in_house": forms.Textarea(attrs={"rows": 2}),
            "mentor_criteria": forms.Textarea(attrs={"rows": 2}),
            "recognition_plan": forms.Textarea(attrs={"rows": 2}),
        }


class ProfileForm(forms.Form):
    """The organiser records what a person can help with and wants to learn."""

    user = forms.TypedChoiceField(label=_("Person"), coerce=int)
    can_help_with = forms.CharField(
        label=_("Can help with"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As a mentor or coach. Leave empty for someone who is only mentored."),
    )
    wants_help_with = forms.CharField(
        label=_("Wants to learn"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    capacity = forms.IntegerField(
        label=_("Pairs at a time, as a mentor"), min_value=1, max_value=10, initial=1
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = people_choices(people)


class PairForm(forms.Form):
    mentee = forms.TypedChoiceField(label=_("Mentee"), coerce=int)
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int)

    def __init__(self, *args, people=(), kind="", **kwargs):
        super().__init__(*args, **kwargs)
        choices = people_choices(people)
        self.fields["mentee"].choices = choices
        self.fields["mentor"].choices = choices
        if kind == "upward":
            self.fields["mentee"].label = _("Supervisor coached")
            self.fields["mentor"].label = _("Coach")


class PairActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("pause", "pause"), ("resume", "resume"), ("end", "end"), ("repair", "repair")]
    )


class MessageForm(forms.Form):
    to = forms.ChoiceField(
        label=_("To"),
        choices=[("both", _("Both")), ("mentor", _("The mentor")), ("mentee", _("The mentee"))],
    )
    text = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecognitionForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Person"), coerce=int)
    what = forms.CharField(label=_("What was given"), max_length=300)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = people_choices(people)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Length in minutes"), initial=30)
    held = forms.TypedChoiceField(
        label=_("This session"),
        coerce=lambda value: value == "held",
        choices=[("held", _("was held")), ("planned", _("is planned"))],
        initial="held",
        widget=forms.RadioSelect,
    )
    casual = forms.BooleanField(label=_("Casual, in everyday work"), required=False)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("A goal of mine"), max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How is it going?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = badly, 5 = very well"),
    )
    met = forms.TypedChoiceField(
        label=_("Did we meet?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    not_getting_along = forms.BooleanField(label=_("We don't get along"), required=False)
    too_busy = forms.BooleanField(label=_("Too busy"), required=False)
    in_the_way = forms.CharField(
        label=_("Anything else in the way?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CoachInviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
