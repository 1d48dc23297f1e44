"""The demo a newcomer sees first: a cohort a few months into its year, written through the
services, with figures that a full recompute agrees with."""

import pytest
from django.utils import timezone

from devtools.demo import DEMO_PASSWORD, demo_load
from polku.people.models import Role
from programmes.assignments.models import Answer
from progress import rollups
from progress.models import Attendance, CohortProgress


@pytest.mark.django_db
def test_the_demo_loads_once_with_a_history_the_figures_agree_with(client):
    cohort, logins = demo_load()
    assert demo_load() is None  # a second start leaves it as it is
    # 24 who joined, and two invited who have not (one of them to sign in with single
    # sign-on): not counted anywhere in the figures.
    assert cohort.memberships.filter(role=Role.PARTICIPANT).count() == 26
    assert cohort.memberships.joined_participants().count() == 24
    assert Attendance.objects.filter(cohort=cohort).count() == 2 * 24  # two days held
    answers = Answer.objects.filter(cohort=cohort, submitted_at__isnull=False)
    assert answers.filter(is_late=True).exists() and answers.filter(is_late=False).exists()
    assert answers.filter(reviewed_at__isnull=False).exists()
    for answer in answers:  # written as of the moment they happened, revision and all
        assert answer.submitted_revision.saved_at == answer.submitted_at
    drift = rollups.cohort_reconcile(cohort.id)  # a full recompute from the source rows
    assert (drift["participants"], drift["groups"], drift["cohort"]) == (0, 0, False)
    assert CohortProgress.objects.get(cohort=cohort).participants == 24
    # Team surveys: a baseline and an end wave; most items rose, the team's goals did not, and
    # two teams are too small at the end to be shown.
    from impact.selectors import cohort_results

    (result,) = cohort_results(cohort)
    assert (result.change.included, result.change.eligible) == (22, 24)
    assert result.change.mean > 0.3 and result.change.effect > 0.5
    goals = next(row for row in result.items if "tavoitteet" in row.label)
    assert abs(goals.change) < 0.3
    for email, _role in logins:
        assert client.login(email=email, password=DEMO_PASSWORD), email
    # A training day is on today: live questions and check-in can be tried at once.
    today = [
        day
        for day in cohort.training_days.all()
        if timezone.localdate(day.starts_at) == timezone.localdate()
        and day.starts_at <= timezone.now()
    ]
    assert len(today) == 1
    client.login(email="osallistuja01@polku.example", password=DEMO_PASSWORD)
    path = client.get(f"/c/{cohort.slug}/").content.decode()
    assert f"/c/{cohort.slug}/day/{today[0].page_id}/live/" in path
    client.login(email="valmentaja1@polku.example", password=DEMO_PASSWORD)
    assert client.get(f"/c/{cohort.slug}/progress/").status_code == 200


@pytest.mark.django_db
def test_the_demo_has_reverse_mentoring_and_upward_coaching_with_one_pair_at_risk(client):
    from mentoring.models import MentoringProgramme, Pair, Recognition

    demo_load()
    reverse, upward = MentoringProgramme.objects.order_by("kind")
    assert (reverse.kind, upward.kind) == ("reverse", "upward")
    assert reverse.pairs.count() == 3 and upward.pairs.count() == 3
    at_risk = Pair.objects.exclude(risks=[])
    assert at_risk.count() == 1 and "missed" in at_risk.get().risks
    assert reverse.figures["at_risk"] == 1 and upward.figures["hours"] > 0
    assert Recognition.objects.exists()
    assert Pair.objects.filter(milestones__kind="first_session").distinct().count() == 6
    # The team member who coaches osallistuja01 logs in to their pair and nothing else.
    client.login(email="tiina.tiimi@polku.example", password=DEMO_PASSWORD)
    pair = Pair.objects.get(mentor__email="tiina.tiimi@polku.example")
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/mentoring/"
    page = client.get(f"/mentoring/pairs/{pair.id}/").content.decode()
    assert "Kysyn tiimipalaverissa" in page and "Mentorin ja valmentajan opas" in page


@pytest.mark.django_db
def test_the_demo_has_a_published_day_with_commitments_brought_back_and_a_library(client):
    from programmes.live.models import LiveQuestion, PublishedDay
    from workspaces.models import SharedOutput

    cohort, _logins = demo_load()
    published = PublishedDay.objects.get(cohort=cohort)
    assert published.is_published and published.note and len(published.questions) == 3
    commitment = LiveQuestion.objects.get(cohort=cohort, kind="commitment", state="closed")
    assert commitment.follow_up is not None
    themes = [t["keyword"] for t in commitment.summary.data["themes"]]
    assert "Palaute tiimiltä" in themes
    assert SharedOutput.objects.filter(cohort=cohort, theme="Palaute").exists()
    client.login(email="osallistuja01@polku.example", password=DEMO_PASSWORD)
    page = client.get(f"/c/{cohort.slug}/assignment/{commitment.follow_up_id}/").content.decode()
    assert "Sitouduit päivänä" in page


@pytest.mark.django_db
def test_the_demo_organisation_signs_its_sso_domain_in_at_the_local_provider(client):
    """`python dev.py idp` serves the provider the demo organisation is set up for: the
    same issuer, client and callback."""
    from devtools import identity_providers as idp
    from polku.people import sso

    cohort, _logins = demo_load()
    email = f"sanna.sso@{idp.DEMO_SSO_DOMAIN}"
    organisation = sso.password_refused(email)
    assert organisation == cohort.organisation
    app = sso.apps(provider=sso.provider_id(organisation))[0]
    assert app.settings["server_url"] == f"http://127.0.0.1:{idp.DEMO_OIDC_PORT}"
    assert (app.client_id, app.secret) == (idp.DEMO_CLIENT_ID, idp.DEMO_CLIENT_SECRET)
    assert sso.login_url(organisation) == f"/accounts/oidc/oidc-{organisation.slug}/login/"
    # Everyone else in the demo still logs in with the printed password.
    assert sso.password_refused("osallistuja01@polku.example") is None
    response = client.post(
        "/accounts/login/", {"login": email, "password": DEMO_PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "signs you in with your work account" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_organisations_hr_system_provisions_over_scim(client):
    from devtools.demo import DEMO_SCIM_TOKEN

    cohort, _logins = demo_load()
    response = client.post(
        "/scim/v2/Users",
        data={
            "userName": "uusi.esihenkilo@example.com",
            "emails": [{"value": "uusi.esihenkilo@example.com", "primary": True}],
        },
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {DEMO_SCIM_TOKEN}",
    )
    assert response.status_code == 201
    groups = client.get("/scim/v2/Groups", HTTP_AUTHORIZATION=f"Bearer {DEMO_SCIM_TOKEN}")
    assert groups.json()["Resources"][0]["displayName"] == "Esihenkilöt (HR)"
    assert cohort.provisioned_groups.exists()
