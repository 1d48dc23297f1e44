from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import render
from django.utils import translation

from .language import language_cookie_set


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join a cohort by invitation; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def post_login(self, request, user, **kwargs):
        from .services import memberships_join

        memberships_join(user=user)
        if user.language:  # "Logged in as ..." in the person's own language, not the browser's
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return language_cookie_set(super().post_login(request, user, **kwargs), user.language)


def _email_claim(sociallogin) -> tuple[str, bool | None]:
    """The address the identity provider gave, and whether it said it verified it (None when
    it said nothing, as Entra ID and most SAML providers do)."""
    data = sociallogin.account.extra_data or {}
    if "userinfo" in data or "id_token" in data:  # OpenID Connect: both sets of claims
        data = {**data.get("id_token", {}), **data.get("userinfo", {})}
    verified = data.get("email_verified")
    if isinstance(verified, list):  # SAML: every attribute is a list of values
        verified = verified[0] if verified else None
    if isinstance(verified, str):
        verified = verified.strip().lower() in ("true", "1", "yes")
    return sociallogin.user.email or "", verified


class OrganisationSignOnAdapter(DefaultSocialAccountAdapter):
    """Each organisation's own identity provider (polku.people.sso), trusted only for the
    addresses of its email domains. Someone invited by email who signs in through it is the
    same person, never a second account."""

    def list_apps(self, request, provider=None, client_id=None):
        from . import sso

        return sso.apps(provider=provider, client_id=client_id)

    def is_open_for_signup(self, request, sociallogin):
        return True  # only vouched addresses get this far (pre_social_login)

    def pre_social_login(self, request, sociallogin):
        from . import sso
        from .models import Organisation, User

        organisation = Organisation.objects.get(
            id=sociallogin.provider.app.settings["organisation_id"]
        )
        email, verified = _email_claim(sociallogin)
        email = sso.vouched_email(organisation, email, verified)
        # Only to log in: allauth's "connect" (add this sign-in to the account I am logged in
        # to) would let one person's work account open another's Polku account.
        if email is None or sociallogin.state.get("process") == AuthProcess.CONNECT:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "people/sso_refused.html",
                    {"organisation": organisation},
                    status=403,
                )
            )
        sociallogin.user.email = email
        if not sociallogin.is_existing:
            user = User.objects.filter(email__iexact=email).first()
            if user is not None:
                sociallogin.connect(request, user)
