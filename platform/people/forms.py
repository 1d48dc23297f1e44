from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.utils.translation import gettext_lazy as _

from . import sso
from .services import CSV_MAX_BYTES


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(password1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AllauthLoginForm):
    """allauth's, refusing passwords for the addresses whose organisation signs them in
    itself (sso.password_refused): the page then offers that organisation's sign-on."""

    sso_organisation = None

    def clean(self):
        self.sso_organisation = sso.password_refused(self.cleaned_data.get("login") or "")
        if self.sso_organisation is not None:
            # allauth checks the next address again when the sign-in comes back.
            next_url = self.request.POST.get("next", "") if self.request else ""
            self.sso_login_url = sso.login_url(self.sso_organisation, next_url)
            raise forms.ValidationError(
                _("%(organisation)s signs you in with your work account, not a password."),
                params={"organisation": self.sso_organisation.name},
            )
        return super().clean()


class PasswordResetForm(ResetPasswordForm):
    """Resets passwords that exist. Someone invited who never joined has none: they join
    through their invitation (which expires), not through a reset link. Nor does anyone
    whose organisation signs them in itself."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [
            user
            for user in self.users
            if user.has_usable_password() and not sso.password_refused(user.email)
        ]
        return email


class SignOnForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.organisation = sso.organisation_for_email(email)
        if self.organisation is None:
            raise forms.ValidationError(
                _(
                    "Your organisation does not sign in to Polku with its own accounts. "
                    "Log in with your email and password."
                )
            )
        return email


class ParticipantsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, email, group. Comma or semicolon separated, as Excel saves it."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
        return upload


class ImportConfirmForm(forms.Form):
    """The previewed CSV file, signed into the page: confirming imports exactly what was seen
    (for an hour), and nobody can swap in another file."""

    SALT = "polku.people.import"
    data = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def for_data(cls, data: bytes) -> "ImportConfirmForm":
        # Latin-1 maps every byte to one character and back: the bytes arrive unchanged,
        # whatever the file's encoding (Excel's cp1252 included), and are read as before.
        token = signing.dumps(data.decode("latin-1"), salt=cls.SALT, compress=True)
        return cls(initial={"data": token})

    def clean_data(self):
        try:
            return signing.loads(self.cleaned_data["data"], salt=self.SALT, max_age=3600)
        except signing.BadSignature:
            raise forms.ValidationError("expired") from None

    def data_bytes(self) -> bytes:
        return self.cleaned_data["data"].encode("latin-1")


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
