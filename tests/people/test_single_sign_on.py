"""Single sign-on's rules without a browser (the click-through against real providers is
tests/browser/test_single_sign_on.py): passwords refused where the organisation requires its
own sign-in, an organisation's provider trusted only for its own email domains, and nothing
that lists or links another organisation's provider."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from polku.people import sso
from polku.people.models import EmailDomain, Organisation, SignOn
from tests.conftest import organisation_get_or_create
from tests.factories import PASSWORD


def _sso_on(organisation: Organisation, domain: str, *, required=True) -> Organisation:
    organisation.sso_protocol = SignOn.OIDC
    organisation.sso_required = required
    organisation.sso_issuer = "https://login.example.test/tenant"
    organisation.sso_client_id = "polku"
    organisation.sso_client_secret = "secret"
    organisation.save()
    EmailDomain.objects.create(organisation=organisation, domain=domain)
    return organisation


@pytest.fixture
def person(world):
    user = world.participant.user
    user.email = "pekka@acme.test"
    user.save()
    return user


def test_a_password_is_refused_where_the_organisation_signs_its_people_in(world, person):
    organisation = _sso_on(world.cohort.organisation, "acme.test")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("account_login"), {"login": "Pekka@ACME.test", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert f"{organisation.name} signs you in with your work account" in page
    assert sso.login_url(organisation) in page  # the way in is offered at once

    # Where single sign-on is offered but not required, the password still works.
    organisation.sso_required = False
    organisation.save()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_no_reset_link_for_an_address_that_signs_in_at_its_organisation(world, person):
    _sso_on(world.cohort.organisation, "acme.test")
    Client().post(reverse("account_reset_password"), {"email": person.email})
    assert not [m for m in mail.outbox if "/password/reset/key/" in m.body]


def test_an_organisations_provider_speaks_only_for_its_own_domains(world, other_world):
    acme = _sso_on(world.cohort.organisation, "acme.test")
    _sso_on(other_world.cohort.organisation, "beta.test")
    assert sso.vouched_email(acme, "Aino@Acme.test", None) == "aino@acme.test"
    assert sso.vouched_email(acme, "aino@acme.test", True) == "aino@acme.test"
    assert sso.vouched_email(acme, "aino@acme.test", False) is None  # said it is unverified
    assert sso.vouched_email(acme, "boss@beta.test", True) is None  # another's people
    assert sso.vouched_email(acme, "admin@polku.test", True) is None  # nobody's domain
    assert sso.vouched_email(acme, "", True) is None


def test_a_provider_id_reads_its_own_organisation_only(
    world, other_world, django_assert_num_queries
):
    acme = _sso_on(world.cohort.organisation, "acme.test")
    _sso_on(other_world.cohort.organisation, "beta.test")
    with django_assert_num_queries(1) as queries:
        found = sso.apps(provider=sso.provider_id(acme))
    # allauth asks for the app a few times per sign-in: one organisation's row is read, not
    # every organisation's.
    assert acme.slug in queries.captured_queries[0]["sql"]
    assert [app.settings["organisation_id"] for app in found] == [acme.id]
    assert len(sso.apps(provider="openid_connect")) == 2  # allauth's provider class: all


def test_each_email_domain_belongs_to_one_organisation(world, other_world):
    _sso_on(world.cohort.organisation, "acme.test")
    domain = EmailDomain(organisation=other_world.cohort.organisation, domain=" @ACME.test ")
    with pytest.raises(ValidationError) as error:
        domain.full_clean()
    assert "domain" in error.value.message_dict
    assert domain.domain == "acme.test"  # cleaned before the uniqueness check
    with pytest.raises(ValidationError):
        EmailDomain(
            organisation=other_world.cohort.organisation, domain="not a domain"
        ).full_clean()


def test_an_organisation_cannot_switch_single_sign_on_on_half_configured(world):
    organisation = world.cohort.organisation
    organisation.sso_protocol = SignOn.SAML
    organisation.sso_issuer = "urn:idp"
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) == {"sso_login_url", "sso_certificate"}
    organisation.sso_protocol = ""
    organisation.sso_required = True
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) == {"sso_required"}


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_work_account_page_finds_the_organisation_by_the_address(world, language):
    from django.utils import translation

    organisation = _sso_on(world.cohort.organisation, "acme.test", required=False)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("sso_start"), {"email": "someone@acme.test"})
    assert sso.login_url(organisation) in response.content.decode()
    response = client.post(reverse("sso_start"), {"email": "someone@unknown.test"})
    with translation.override(language):
        expected = translation.gettext(
            "Your organisation does not sign in to Polku with its own accounts. "
            "Log in with your email and password."
        )
    assert expected in response.content.decode()


def test_no_page_lists_the_organisations_providers(world, other_world):
    """allauth's page of "connected accounts" would list every provider it knows: every
    organisation's. It is not there."""
    _sso_on(world.cohort.organisation, "acme.test")
    beta = _sso_on(other_world.cohort.organisation, "beta.test")
    client = Client()
    client.force_login(world.participant.user)
    assert client.get("/accounts/3rdparty/").status_code == 404
    assert client.get("/accounts/3rdparty/signup/").status_code == 404
    assert beta.name not in client.get(reverse("account_login")).content.decode()


def test_a_sign_in_cannot_be_used_to_connect_an_account_to_someone_else(world, rf):
    """Signing in at the organisation is for logging in; allauth's "connect" process (add
    this provider to the account I am logged in to) is refused."""
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    from polku.people.adapters import OrganisationSignOnAdapter
    from polku.people.models import User

    organisation = _sso_on(world.cohort.organisation, "acme.test")
    request = rf.get("/")
    request.user = world.group_mate.user
    request.session = {}
    adapter = OrganisationSignOnAdapter()
    login = SocialLogin(
        provider=adapter.get_provider(request, sso.provider_id(organisation)),
        user=User(email="pekka@acme.test"),
        account=SocialAccount(provider=sso.provider_id(organisation), uid="pekka", extra_data={}),
    )
    login.state = {"process": "connect"}
    with pytest.raises(ImmediateHttpResponse) as refused:
        adapter.pre_social_login(request, login)
    assert refused.value.response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_an_identity_provider_that_cannot_be_reached_gets_a_message(world):
    organisation = _sso_on(world.cohort.organisation, "acme.test")
    organisation.sso_issuer = "http://127.0.0.1:9/down"  # nothing listens there
    organisation.save()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(sso.login_url(organisation))
    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


def test_an_organisation_without_single_sign_on_has_no_provider(world):
    organisation = organisation_get_or_create("plain")
    assert sso.apps(provider=f"oidc-{organisation.slug}") == []
    assert Client().get(f"/accounts/oidc/oidc-{organisation.slug}/login/").status_code == 404
    assert Client().get(f"/accounts/saml/{organisation.slug}/login/").status_code == 404


def test_an_admin_sets_single_sign_on_and_email_domains_on_the_organisation(
    world, django_user_model
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    organisation = world.cohort.organisation
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    url = f"/admin/snippets/people/organisation/edit/{organisation.id}/"
    assert "Single sign-on" in client.get(url).content.decode()
    form = {
        "name": organisation.name,
        "slug": organisation.slug,
        "retention_months": 12,
        "sso_protocol": "saml",
        "sso_required": "on",
        "sso_issuer": "urn:acme:idp",
        "sso_login_url": "https://idp.acme.test/sso",
        "sso_certificate": "",  # forgotten
        "email_domains": inline_formset([{"domain": "@Acme.TEST"}]),
    }
    response = client.post(url, nested_form_data(form))
    assert response.status_code == 200  # the form again, with what is missing
    organisation.refresh_from_db()
    assert organisation.sso_protocol == ""
    form["sso_certificate"] = "MIIC..."
    response = client.post(url, nested_form_data(form))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.sso_protocol == "saml" and organisation.sso_required
    assert list(organisation.email_domains.values_list("domain", flat=True)) == ["acme.test"]
    assert sso.password_refused("pekka@acme.test") == organisation
