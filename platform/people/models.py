"""Users, organisations, cohorts, small groups, memberships (roles) and invitations."""

import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def full_name(first_name: str, last_name: str) -> str:
    """A person's name as pages show it (User.get_full_name), from its two columns: for lists
    that read values rather than whole users."""
    return f"{first_name} {last_name}".strip()


class User(AbstractUser):
    """A person who logs in with an email address; there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser."),
    )
    # Erased on request (privacy.services.person_erase): no name, no email, no login. The
    # row stays so that the posts and comments kept in a group's workspace have an author.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The secret part of the person's calendar feed address (/calendar/<key>.ics): made when
    # they first ask for it, replaced when they ask for a new one (the old address stops).
    calendar_key = models.CharField(max_length=64, null=True, unique=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return full_name(self.first_name, self.last_name)

    def __str__(self):
        if self.erased_at:
            return str(_("a former participant"))
        return self.get_full_name() or self.email


class SignOn(models.TextChoices):
    """How an organisation's own identity provider signs its people in (polku.people.sso)."""

    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class Organisation(ClusterableModel):
    """A client that runs cohorts, for example a customer-service centre."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    # The organisation's wall in the Wagtail admin: its trainers are in `editors`, which may
    # edit only this organisation's programmes (page permissions per programme) and use only
    # its `collection` of images and documents. Made by services.organisation_editors_get.
    editors = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"),
        default=12,
        help_text=_(
            "After a cohort's last date, its people's answers, posts and names are anonymised "
            "after this many months; figures remain. Organisers are told 30 days before."
        ),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    # Single sign-on with the organisation's identity provider (polku.people.sso). People
    # whose email is in one of its `email_domains` sign in there; with `sso_required`, only there.
    sso_protocol = models.CharField(
        _("single sign-on"), max_length=8, choices=SignOn.choices, blank=True
    )
    sso_required = models.BooleanField(
        _("people of the organisation must use single sign-on"),
        default=False,
        help_text=_("No passwords for addresses in the organisation's email domains."),
    )
    sso_issuer = models.CharField(
        _("identity provider"),
        max_length=500,
        blank=True,
        help_text=_(
            "OpenID Connect: the issuer URL (its /.well-known/openid-configuration is read). "
            "SAML: the identity provider's entity ID."
        ),
    )
    sso_client_id = models.CharField(_("client ID (OpenID Connect)"), max_length=200, blank=True)
    sso_client_secret = models.CharField(
        _("client secret (OpenID Connect)"), max_length=500, blank=True
    )
    sso_login_url = models.URLField(_("sign-on URL (SAML)"), max_length=500, blank=True)
    sso_certificate = models.TextField(
        _("signing certificate (SAML)"),
        blank=True,
        help_text=_("The identity provider's X.509 certificate, PEM or base64."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        needed = {
            SignOn.OIDC: ["sso_issuer", "sso_client_id", "sso_client_secret"],
            SignOn.SAML: ["sso_issuer", "sso_login_url", "sso_certificate"],
        }.get(self.sso_protocol, [])
        errors = {
            name: _("Needed for this kind of sign-on.")
            for name in needed
            if not getattr(self, name).strip()
        }
        if self.sso_required and not self.sso_protocol:
            errors["sso_required"] = _("Choose the kind of single sign-on first.")
        if errors:
            raise ValidationError(errors)


DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class EmailDomain(models.Model):
    """An email domain whose people belong to one organisation: they are sent to its single
    sign-on, and its identity provider is trusted for these addresses only."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(
        _("email domain"), max_length=253, unique=True, help_text=_("For example example.com")
    )

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")

    def __str__(self):
        return self.domain

    def clean(self):
        self.domain = self.domain.strip().lower().lstrip("@")
        if not DOMAIN_RE.fullmatch(self.domain):
            raise ValidationError({"domain": _("Write the part after @, for example example.com")})


class Cohort(ClusterableModel):
    """One run of a programme for one organisation, with its own calendar (see
    programmes.schedule) and its own people."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("organisation"),
    )
    programme = models.ForeignKey(
        "programmes.ProgrammePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in addresses."))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fi",
        help_text=_("Language of invitations for people who have not chosen one."),
    )
    # Its people's personal data was anonymised at the end of the organisation's retention
    # period (privacy.services.cohort_anonymise); its figures remain.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        programme = self.programme if self.programme_id else None
        if programme is not None and programme.organisation_id != self.organisation_id:
            raise ValidationError(
                {"programme": _("This programme belongs to another organisation.")}
            )


class SmallGroup(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="small_groups", verbose_name=_("cohort")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("small group")
        verbose_name_plural = _("small groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "cohort", Lower("name"), name="people_smallgroup_unique_name_per_cohort"
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")
    ORGANISER = "organiser", _("Organiser")


class MembershipQuerySet(models.QuerySet):
    def joined_participants(self):
        """Participants who have joined: the people counted in figures, live rooms, review
        lists and reminders. Someone invited is counted from the moment they join; someone
        whose account is closed (SCIM, api.services.account_save) is not, their work stays."""
        return self.filter(role=Role.PARTICIPANT, joined_at__isnull=False, user__is_active=True)


class Membership(models.Model):
    """A person's role in one cohort. Everything a person may see follows from these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    small_group = models.ForeignKey(
        SmallGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("small group"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Empty while the person is invited and has not yet set a password or logged in
    # (people.services.memberships_join).
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="people_membership_unique"),
        ]
        indexes = [models.Index(fields=["cohort", "role"])]

    def __str__(self):
        return f"{self.user} · {self.cohort} · {self.get_role_display()}"

    # Templates ask these rather than compare role strings.
    @property
    def is_participant(self) -> bool:
        return self.role == Role.PARTICIPANT

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    @property
    def has_joined(self) -> bool:
        return self.joined_at is not None


class Invitation(models.Model):
    """An invitation to set a password and join a cohort. The link carries a signed id
    (see services.invitation_token), so nothing secret is stored here."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.membership} · {self.created_at:%Y-%m-%d}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at
