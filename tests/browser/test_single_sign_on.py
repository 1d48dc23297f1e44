"""Single sign-on, clicked through against real identity providers on loopback: npm's
`oidc-provider` (OpenID Connect) and `saml-idp` (SAML 2.0), each the organisation's own.

Someone invited by email who signs in at their organisation is that same person (never a
second account) and joins the cohort; someone the provider does not vouch for is not let
in; logging out of Polku ends the session."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from devtools import identity_providers as idp
from polku.people.models import EmailDomain, Membership, Role, SignOn
from polku.people.services import invitation_create, invitation_token
from tests.browser.conftest import PHONE, small_controls
from tests.conftest import world_build
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

User = get_user_model()
DOMAIN = "sso.test"


@pytest.fixture(autouse=True)
def _providers_available():
    reason = idp.available()
    if reason:
        pytest.fail(reason) if __import__("os").environ.get("CI") else pytest.skip(reason)


@pytest.fixture
def world():
    world = world_build("sso")  # before Playwright's event loop starts
    EmailDomain.objects.create(organisation=world.cohort.organisation, domain=DOMAIN)
    return world


@pytest.fixture
def invited(world):
    """Someone invited by email who has never logged in: no password."""
    user = UserFactory(email=f"aino.invited@{DOMAIN}", first_name="", last_name="")
    user.set_unusable_password()
    user.save()
    membership = MembershipFactory(cohort=world.cohort, role=Role.PARTICIPANT, user=user)
    return invitation_create(membership=membership)


@pytest.fixture
def oidc(world, live_server, tmp_path):
    organisation = world.cohort.organisation
    organisation.sso_protocol = SignOn.OIDC
    organisation.sso_required = True
    callback = reverse(
        "openid_connect_callback", kwargs={"provider_id": f"oidc-{organisation.slug}"}
    )
    with (tmp_path / "oidc.log").open("w") as log:
        provider = idp.oidc_start(
            port=idp.free_port(), redirect_uri=live_server.url + callback, log=log
        )
    organisation.sso_issuer = provider.issuer
    organisation.sso_client_id = provider.client_id
    organisation.sso_client_secret = provider.client_secret
    organisation.save()
    yield provider
    provider.process.kill()
    provider.process.wait()


@pytest.fixture
def saml(world, live_server, tmp_path):
    organisation = world.cohort.organisation
    slug = organisation.slug
    with (tmp_path / "saml.log").open("w") as log:
        provider = idp.saml_start(
            port=idp.free_port(),
            acs_url=live_server.url + reverse("saml_acs", args=[slug]),
            audience=live_server.url + reverse("saml_metadata", args=[slug]),
            folder=tmp_path,
            log=log,
        )
    organisation.sso_protocol = SignOn.SAML
    organisation.sso_issuer = provider.entity_id
    organisation.sso_login_url = provider.sso_url
    organisation.sso_certificate = provider.certificate
    organisation.save()
    yield provider
    provider.process.kill()
    provider.process.wait()


def _oidc_sign_in(page, login: str):
    """The provider's own login page (any name logs in), then its consent page."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("whatever")
    page.locator("button[type=submit]").click()
    page.locator("button.login-submit:has-text('Continue')").click()
    page.wait_for_load_state()


def test_someone_invited_joins_through_their_organisations_openid_sign_in_and_logs_out(
    world, invited, oidc, browser, live_server, screenshots
):
    user_id = invited.membership.user_id
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB"
    ).new_page()
    phone.goto(live_server.url + reverse("invitation_accept", args=[invitation_token(invited)]))
    # The organisation requires its own sign-in: no password is offered.
    assert phone.locator("input[type=password]").count() == 0
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / "sso-invitation.png", full_page=True)
    phone.get_by_role("link", name=f"Sign in with {world.cohort.organisation.name}").click()

    phone.wait_for_url(f"{oidc.issuer}/**")
    _oidc_sign_in(phone, invited.membership.user.email)

    phone.wait_for_url(f"{live_server.url}/c/{world.cohort.slug}/**")
    assert User.objects.filter(email__iexact=invited.membership.user.email).count() == 1
    joined = Membership.objects.get(id=invited.membership_id)
    assert joined.user_id == user_id and joined.joined_at is not None
    account = joined.user.socialaccount_set.get()
    assert account.provider == f"oidc-{world.cohort.organisation.slug}"
    phone.screenshot(path=screenshots / "sso-joined.png", full_page=True)

    # Logging out ends the Polku session.
    phone.goto(live_server.url + reverse("account_logout"))
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(live_server.url + reverse("cohort_path", args=[world.cohort.slug]))
    assert reverse("account_login") in phone.url


@pytest.mark.parametrize(
    "login",
    [
        f"unverified:aino.invited@{DOMAIN}",  # the provider says it did not verify the address
        "aino@elsewhere.test",  # an address outside the organisation's domains
    ],
)
def test_whom_the_provider_does_not_vouch_for_is_not_let_in(
    world, invited, oidc, browser, live_server, login
):
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(live_server.url + reverse("sso_start"))
    page.locator("#id_email").fill(f"someone@{DOMAIN}")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name=f"Sign in with {world.cohort.organisation.name}").click()
    page.wait_for_url(f"{oidc.issuer}/**")
    _oidc_sign_in(page, login)

    assert page.locator("h1").inner_text() == "Sign-in not accepted"
    assert not User.objects.filter(email="aino@elsewhere.test").exists()
    assert not invited.membership.user.socialaccount_set.exists()
    page.goto(live_server.url + reverse("cohort_path", args=[world.cohort.slug]))
    assert reverse("account_login") in page.url  # not logged in


def test_a_person_signs_in_with_saml_from_the_login_page_and_is_the_same_person(
    world, saml, browser, live_server, screenshots
):
    person = world.participant.user
    person.email = f"pekka@{DOMAIN}"
    person.save()
    page = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="fi-FI"
    ).new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.locator("a.button[href^='/accounts/sso/']").click()
    page.locator("#id_email").fill(person.email)
    page.locator("main form button[type=submit]").click()
    assert small_controls(page) == []
    page.screenshot(path=screenshots / "sso-continue-fi.png", full_page=True)
    page.get_by_role("link", name=world.cohort.organisation.name).click()

    # The provider's page: who signs in (the test provider lets the values be changed).
    page.wait_for_url("http://127.0.0.1:*/saml/sso**")
    page.locator("#userName").fill(person.email)
    page.locator("#email").fill(person.email)
    page.locator("form.form-profile button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state()
    assert page.locator("a[href*='/c/cohort-sso/']").count() > 0  # the home page, logged in
    assert User.objects.filter(email__iexact=person.email).count() == 1
    assert person.socialaccount_set.get().uid == person.email
