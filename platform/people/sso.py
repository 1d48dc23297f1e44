"""Single sign-on with each organisation's own identity provider, through django-allauth's
OpenID Connect and SAML providers.

An organisation's settings live on its row (Organisation.sso_*), edited in the admin; allauth
asks for "apps" and gets them from here (adapters.OrganisationSignOnAdapter.list_apps), so
there is one place for them. Each organisation is its own provider, `<protocol>-<slug>`:
its people's accounts at two organisations' providers never mix, even where the providers'
subject ids are alike.

Trust: an organisation's identity provider speaks only for the addresses in the
organisation's email domains (EmailDomain, each domain belongs to one organisation), and
not for an address it says it has not verified. Anyone else is not let in, so no
organisation can sign in as another's people, or as Polku's staff."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django.urls import reverse
from django.utils.http import urlencode

from .models import EmailDomain, Organisation, SignOn

OIDC_PROVIDER = "openid_connect"
SAML_PROVIDER = "saml"

# Where the usual identity providers (Entra ID, Google, Okta, ADFS) and the test one put
# the person's email and name in a SAML assertion; the first found is used.
SAML_ATTRIBUTES = {
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
        "mail",
    ],
    "first_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "urn:oid:2.5.4.42",
        "firstName",
        "givenName",
    ],
    "last_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "urn:oid:2.5.4.4",
        "lastName",
        "sn",
    ],
    "email_verified": ["email_verified"],
}


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def organisation_for_email(email: str) -> Organisation | None:
    """The organisation whose single sign-on this address uses, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    found = (
        EmailDomain.objects.filter(domain=domain)
        .exclude(organisation__sso_protocol="")
        .select_related("organisation")
        .first()
    )
    return found.organisation if found else None


def password_refused(email: str) -> Organisation | None:
    """The organisation that signs this address in itself and allows it no password."""
    organisation = organisation_for_email(email)
    return organisation if organisation and organisation.sso_required else None


def provider_id(organisation: Organisation) -> str:
    return f"{organisation.sso_protocol}-{organisation.slug}"


def login_url(organisation: Organisation, next_url: str = "") -> str:
    if organisation.sso_protocol == SignOn.SAML:
        url = reverse("saml_login", kwargs={"organization_slug": organisation.slug})
    else:
        url = reverse("openid_connect_login", kwargs={"provider_id": provider_id(organisation)})
    return url + ("?" + urlencode({"next": next_url}) if next_url else "")


def social_app(organisation: Organisation) -> SocialApp:
    """allauth's description of the organisation's provider (never saved)."""
    common = {"provider_id": provider_id(organisation), "name": organisation.name}
    marker = {"organisation_id": organisation.id}
    if organisation.sso_protocol == SignOn.SAML:
        return SocialApp(
            provider=SAML_PROVIDER,
            client_id=organisation.slug,  # the SAML addresses' slug: /accounts/saml/<slug>/
            settings={
                **marker,
                "idp": {
                    "entity_id": organisation.sso_issuer,
                    "sso_url": organisation.sso_login_url,
                    "x509cert": organisation.sso_certificate,
                },
                "attribute_mapping": SAML_ATTRIBUTES,
                # Only a signed assertion is believed.
                "advanced": {"want_assertion_signed": True, "reject_deprecated_algorithm": True},
            },
            **common,
        )
    return SocialApp(
        provider=OIDC_PROVIDER,
        client_id=organisation.sso_client_id,
        secret=organisation.sso_client_secret,
        settings={
            **marker,
            "server_url": organisation.sso_issuer,
            "oauth_pkce_enabled": True,
            "scope": ["openid", "email", "profile"],
        },
        **common,
    )


def apps(*, provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    organisations = Organisation.objects.exclude(sso_protocol="")
    protocol, _dash, slug = (provider or "").partition("-")
    if slug and protocol in SignOn.values:  # one organisation's provider id (provider_id)
        organisations = organisations.filter(sso_protocol=protocol, slug=slug)
    found = []
    for organisation in organisations:
        app = social_app(organisation)
        if provider and provider not in (app.provider, app.provider_id):
            continue
        if client_id and client_id != app.client_id:
            continue
        found.append(app)
    return found


def vouched_email(organisation: Organisation, email: str, email_verified) -> str | None:
    """The address the organisation's provider vouches for, or None: it must be in one of the
    organisation's domains, and not one the provider itself says it has not verified."""
    email = (email or "").strip().lower()
    if not email or email_verified is False:
        return None
    if not organisation.email_domains.filter(domain=email_domain(email)).exists():
        return None
    return email
