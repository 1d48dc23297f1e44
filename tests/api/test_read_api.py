"""The read API for HR and BI: a token of one organisation reads its own cohorts, people,
attendance, progress and survey results, within its scopes, a page at a time, at a bounded
rate, and never another organisation's anything, nor a survey slice below the threshold."""

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken, Scope
from polku.people.models import Role
from tests.factories import MembershipFactory

ALL = [scope.value for scope in Scope]


def _token(organisation, scopes=ALL, name="HR reporting") -> str:
    token = ApiToken(organisation=organisation, name=name, scopes=list(scopes))
    raw = token.key_make()
    token.save()
    return raw


def _get(path, raw=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return Client().get(f"/api/v1{path}", params, **headers)


@pytest.fixture
def raw(world):
    return _token(world.cohort.organisation)


def test_a_token_reads_its_organisations_cohorts_and_people(world, other_world, raw):
    response = _get("/cohorts", raw)
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body["items"]] == [world.cohort.slug]  # not the other's
    assert body["count"] == 1
    assert (
        body["items"][0]["participants"] == world.cohort.memberships.joined_participants().count()
    )

    people = _get(f"/cohorts/{world.cohort.slug}/people", raw).json()["items"]
    emails = {person["email"]: person for person in people}
    participant = emails[world.participant.user.email]
    assert participant["role"] == Role.PARTICIPANT
    assert participant["small_group"] == "Group 1"
    assert participant["name"] == world.participant.user.get_full_name()
    assert other_world.participant.user.email not in emails


@pytest.mark.parametrize("path", ["people", "attendance", "progress", "surveys"])
def test_another_organisations_cohort_answers_404(world, other_world, raw, path):
    assert _get(f"/cohorts/{other_world.cohort.slug}/{path}", raw).status_code == 404
    assert _get(f"/cohorts/no-such-cohort/{path}", raw).status_code == 404


def test_each_endpoint_needs_its_scope(world):
    raw = _token(world.cohort.organisation, scopes=[Scope.COHORTS])
    assert _get("/cohorts", raw).status_code == 200
    response = _get(f"/cohorts/{world.cohort.slug}/people", raw)
    assert response.status_code == 403
    assert "people" in response.json()["detail"]


def test_no_token_a_wrong_one_a_revoked_one_or_a_login_gets_401(world, raw):
    assert _get("/cohorts").status_code == 401
    assert _get("/cohorts", "polku_guessed").status_code == 401
    client = Client()
    client.force_login(world.organiser.user)  # a session is not a token
    assert client.get("/api/v1/cohorts").status_code == 401
    ApiToken.objects.update(revoked_at=timezone.now())
    assert _get("/cohorts", raw).status_code == 401


def test_pages_and_a_fixed_number_of_queries(world, raw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/cohorts/{world.cohort.slug}/people"
    _get(path, raw)  # the token's last use is written at most once a minute
    with CaptureQueriesContext(connection) as few:
        first = _get(path, raw, page_size=2).json()
    for _n in range(30):
        MembershipFactory(cohort=world.cohort, role=Role.PARTICIPANT)
    with CaptureQueriesContext(connection) as many:
        body = _get(path, raw, page_size=2).json()
    assert len(many) == len(few) <= 4
    assert len(first["items"]) == 2 and body["count"] == first["count"] + 30
    second = _get(path, raw, page_size=2, page=2).json()["items"]
    assert {p["id"] for p in second}.isdisjoint({p["id"] for p in body["items"]})


def test_attendance_and_progress_as_the_dashboard_has_them(world, raw, committed):
    from progress import rollups
    from progress.models import Attendance, ParticipantProgress

    day = world.cohort.training_days.order_by("starts_at").first()
    Attendance.objects.create(
        cohort=world.cohort,
        training_day=day.page,
        participant=world.participant,
        status="present",
        marked_by=world.trainer.user,
    )
    rollups.cohort_reconcile(world.cohort.id)
    rows = _get(f"/cohorts/{world.cohort.slug}/attendance", raw).json()["items"]
    assert rows == [
        {
            "person_id": world.participant.user_id,
            "training_day": day.page.title,
            "training_day_starts_at": rows[0]["training_day_starts_at"],
            "status": "present",
            "method": rows[0]["method"],
            "marked_at": rows[0]["marked_at"],
        }
    ]
    progress = _get(f"/cohorts/{world.cohort.slug}/progress", raw).json()["items"]
    mine = next(p for p in progress if p["person_id"] == world.participant.user_id)
    stored = ParticipantProgress.objects.get(membership=world.participant)
    assert mine["days_attended"] == stored.days_attended
    assert mine["assignments_missing"] == stored.assignments_missing
    assert {p["person_id"] for p in progress} <= set(
        world.cohort.memberships.filter(role=Role.PARTICIPANT).values_list("user_id", flat=True)
    )


def test_survey_results_never_leave_below_the_threshold(world, raw, survey, waves):
    from impact import selectors
    from tests.impact.conftest import answers_store, statements

    _baseline, end = waves
    items = statements(survey)
    # Two answers: below the threshold (3) for this team.
    answers_store(end, world.participant, [dict.fromkeys(items, 4)] * 2)
    body = _get(f"/cohorts/{world.cohort.slug}/surveys", raw).json()
    assert body and body[0]["threshold"] >= 3
    cells = [cell for row in body[0]["items"] + body[0]["themes"] for cell in row["waves"]]
    assert cells and all(cell is None for cell in cells)
    assert "teksti" not in str(body)  # no comments ever

    # With more teams above it, the API shows what the organiser's page shows, no more.
    answers_store(end, world.group_mate, [dict.fromkeys(items, 5)] * 3)
    answers_store(end, world.classmate, [dict.fromkeys(items, 2)] * 3)
    body = _get(f"/cohorts/{world.cohort.slug}/surveys", raw).json()
    page = selectors.cohort_results(world.cohort, language=world.cohort.language or "fi")
    for api_row, row in zip(body[0]["items"], page[0].items, strict=True):
        for api_cell, cell in zip(api_row["waves"], row.cells, strict=True):
            if cell is None or not cell.n:
                assert api_cell is None
            else:
                assert api_cell == {"mean": round(cell.mean, 2), "answers": cell.n}


def test_a_token_is_rate_limited(world, raw, monkeypatch):
    from api.v1 import api

    for throttle in api.throttle:
        monkeypatch.setattr(throttle, "num_requests", 3)
    codes = [_get("/cohorts", raw).status_code for _n in range(4)]
    assert codes == [200, 200, 200, 429]
    other = _token(world.cohort.organisation, name="BI")
    assert _get("/cohorts", other).status_code == 200  # each token its own budget


def test_the_openapi_document_describes_every_endpoint_and_the_bearer_token():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert set(schema["paths"]) == {
        "/api/v1/cohorts",
        "/api/v1/cohorts/{slug}/people",
        "/api/v1/cohorts/{slug}/attendance",
        "/api/v1/cohorts/{slug}/progress",
        "/api/v1/cohorts/{slug}/surveys",
    }
    assert any(
        scheme.get("scheme") == "bearer"
        for scheme in schema["components"]["securitySchemes"].values()
    )


def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(world, django_user_model):
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/api/apitoken/add/",
        {
            "organisation": world.cohort.organisation.id,
            "name": "Power BI",
            "scopes": ["cohorts", "progress"],
        },
    )
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()  # the next page, once
    raw = shown.split("<code>")[1].split("</code>")[0]
    assert raw.startswith("polku_")
    token = ApiToken.objects.get(name="Power BI")
    assert token.created_by == admin and token.scopes == ["cohorts", "progress"]
    assert raw not in str(ApiToken.objects.values_list()[0])  # only its hash is kept
    assert _get("/cohorts", raw).status_code == 200
    assert raw not in client.get(f"/admin/snippets/api/apitoken/edit/{token.id}/").content.decode()

    client.post(
        f"/admin/snippets/api/apitoken/edit/{token.id}/",
        {
            "organisation": world.cohort.organisation.id,
            "name": "Power BI",
            "scopes": ["cohorts", "progress"],
            "revoked": "on",
        },
    )
    assert _get("/cohorts", raw).status_code == 401


def test_trainers_and_organisers_cannot_reach_the_tokens_in_the_admin(world):
    for membership in (world.trainer, world.organiser):
        client = Client()
        client.force_login(membership.user)
        response = client.get("/admin/snippets/api/apitoken/")
        assert response.status_code in (302, 403)


def test_the_api_has_a_browsable_page_served_from_polku_itself():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html  # no CDN: the closed network, the CSP
    assert "<script>" not in html  # nothing inline for the CSP to refuse
