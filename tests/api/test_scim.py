"""SCIM 2.0 provisioning: an organisation's identity system creates, updates, deactivates
and groups its people with its own token, passing every check of scim2-tester, and never
reads or changes another organisation's people."""

import json

from django.core import mail
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from api.models import ApiToken, ProvisionedGroup, ProvisionedPerson, Scope
from polku.people.models import Membership, Role, User
from privacy.services import person_erase
from programmes.assignments.models import Answer
from progress import rollups
from progress.models import ParticipantProgress
from tests.conftest import answer_build, client_for
from tests.factories import PASSWORD


def _token(organisation, scopes=(Scope.SCIM,)) -> str:
    token = ApiToken(organisation=organisation, name="Entra ID", scopes=list(scopes))
    raw = token.key_make()
    token.save()
    return raw


def _in_test_transaction(environ, start_response):
    """Django's WSGI application on the test's own connection: as Django's test client does,
    a request neither closes it nor leaves the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = get_wsgi_application()(environ, start_response)
        body = list(response)
        response.close()
        return body
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _client(raw) -> WSGISCIMClient:
    return WSGISCIMClient(
        _in_test_transaction,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {raw}"},
    )


def test_every_check_of_scim2_tester_passes(world):
    results = check_server(_client(_token(world.cohort.organisation)))
    failed = [f"{r.title}: {r.reason}" for r in results if r.status == Status.ERROR]
    assert not failed, "\n".join(failed)
    assert sum(r.status == Status.SUCCESS for r in results) > 30
    skipped = [f"{r.title}: {r.reason}" for r in results if r.status == Status.SKIPPED]
    assert not skipped, "\n".join(skipped)


def _scim(raw, method, path, body=None):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    data = json.dumps(body) if body is not None else None
    return getattr(client, method.lower())(
        f"/scim/v2{path}", data=data, content_type="application/scim+json", **headers
    )


def _person(email, user_name=None, **extra):
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name or email,
        "name": {"givenName": "Ilona", "familyName": "Laine"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        **extra,
    }


def _real_address(membership) -> User:
    """The test world's addresses are on a special-use domain, which SCIM's email validation
    (scim2-models, email-validator) refuses as no organisation's."""
    user = membership.user
    user.email = f"{user.first_name.lower() or 'person'}.{user.id}@example.com"
    user.save()
    return user


def _active(value: bool) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": value}],
    }


def test_a_person_is_created_found_by_username_and_updated(world):
    raw = _token(world.cohort.organisation)
    created = _scim(raw, "POST", "/Users", _person("ilona.laine@example.com", externalId="E-17"))
    assert created.status_code == 201
    assert created["Content-Type"] == "application/scim+json"
    body = created.json()
    assert created["Location"].endswith(f"/scim/v2/Users/{body['id']}")
    user = User.objects.get(email="ilona.laine@example.com")
    assert user.get_full_name() == "Ilona Laine" and not user.has_usable_password()

    found = _scim(raw, "GET", '/Users?filter=userName eq "ILONA.LAINE@example.com"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["externalId"] == "E-17"
    assert _scim(raw, "GET", '/Users?filter=title eq "x"').json()["scimType"] == "invalidFilter"

    again = _scim(raw, "POST", "/Users", _person("ilona.laine@example.com"))
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"

    renamed = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.familyName", "value": "Virtanen"}],
    }
    assert _scim(raw, "PATCH", f"/Users/{body['id']}", renamed).status_code == 200
    user.refresh_from_db()
    assert user.last_name == "Virtanen"


def test_a_deactivated_person_cannot_log_in_and_drops_out_of_figures_their_work_stays(
    world, committed
):
    raw = _token(world.cohort.organisation)
    user = _real_address(world.participant)
    answer = answer_build(world)
    session = client_for(user)
    rollups.cohort_reconcile(world.cohort.id)  # the figures as the nightly check leaves them
    rollup = ParticipantProgress.objects.filter(membership=world.participant)
    assert rollup.exists()
    counted = world.cohort.memberships.joined_participants()
    before = counted.count()
    # Invited before SCIM was switched on: the organisation's system takes the account over.
    taken = _scim(raw, "POST", "/Users", _person(user.email))
    assert taken.status_code == 201
    assert User.objects.filter(email=user.email).count() == 1

    with committed():  # the rollup is built again once the change is stored
        closed = _scim(raw, "PATCH", f"/Users/{taken.json()['id']}", _active(False))
    assert closed.status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    path = reverse("cohort_path", args=[world.cohort.slug])
    assert session.get(path).status_code == 302  # the session ended
    assert not Client().login(email=user.email, password=PASSWORD)
    assert counted.count() == before - 1
    assert Answer.objects.filter(id=answer.id).exists()
    assert not rollup.exists()  # rebuilt without them

    with committed():
        opened = _scim(raw, "PATCH", f"/Users/{taken.json()['id']}", _active(True))
    assert opened.status_code == 200
    assert counted.count() == before
    assert rollup.exists()
    assert client_for(user).get(path).status_code == 200


def test_delete_closes_the_account_and_keeps_the_work(world):
    raw = _token(world.cohort.organisation)
    user = _real_address(world.participant)
    answer = answer_build(world)
    person = _scim(raw, "POST", "/Users", _person(user.email)).json()
    assert _scim(raw, "DELETE", f"/Users/{person['id']}").status_code == 204
    assert _scim(raw, "GET", f"/Users/{person['id']}").status_code == 404
    user.refresh_from_db()
    assert not user.is_active and Answer.objects.filter(id=answer.id).exists()


def test_a_token_never_reads_or_changes_another_organisations_people(world, other_world):
    ours = _token(world.cohort.organisation)
    theirs = _token(other_world.cohort.organisation)
    person = _scim(theirs, "POST", "/Users", _person("toinen@example.com")).json()
    address = f"/Users/{person['id']}"

    assert _scim(ours, "GET", address).status_code == 404
    assert _scim(ours, "PATCH", address, _active(False)).status_code == 404
    assert _scim(ours, "PUT", address, _person("toinen@example.com")).status_code == 404
    assert _scim(ours, "DELETE", address).status_code == 404
    assert _scim(ours, "GET", "/Users").json()["totalResults"] == 0
    listed = _scim(ours, "GET", '/Users?filter=userName eq "toinen@example.com"').json()
    assert listed["totalResults"] == 0
    assert User.objects.get(email="toinen@example.com").is_active

    # Nor takes over their people, nor puts them in its groups.
    other_participant = _real_address(other_world.participant).email
    taken = _scim(ours, "POST", "/Users", _person(other_participant))
    assert taken.status_code == 409
    group = {"displayName": "Esihenkilöt", "members": [{"value": person["id"]}]}
    assert _scim(ours, "POST", "/Groups", group).status_code == 400
    assert not ProvisionedGroup.objects.exists()


def test_staff_accounts_are_never_taken_over(world, django_user_model):
    staff = django_user_model.objects.create_user(email="tuki@polku.example", is_staff=True)
    raw = _token(world.cohort.organisation)
    assert _scim(raw, "POST", "/Users", _person(staff.email)).status_code == 409
    staff.refresh_from_db()
    assert staff.is_active and not hasattr(staff, "provisioned")


def test_tokens_need_the_scim_scope_and_must_not_be_revoked(world):
    read_only = _token(world.cohort.organisation, scopes=[Scope.PEOPLE])
    assert _scim(read_only, "GET", "/Users").status_code == 403
    assert _scim(None, "GET", "/Users").status_code == 401
    assert _scim("polku_nonsense", "GET", "/Users").status_code == 401
    raw = _token(world.cohort.organisation)
    ApiToken.objects.filter(scopes__contains=[Scope.SCIM]).update(revoked_at=timezone.now())
    assert _scim(raw, "GET", "/Users").status_code == 401


def test_bad_bodies_get_scim_errors_and_change_nothing(world):
    raw = _token(world.cohort.organisation)
    client = Client()
    response = client.post(
        "/scim/v2/Users",
        data=b"\x00\xff not json",
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400 and response.json()["detail"]
    no_email = _person("x@example.com", user_name="not-an-address")
    no_email["emails"] = []
    response = _scim(raw, "POST", "/Users", no_email)
    assert response.status_code == 400 and "email" in response.json()["detail"]
    assert not ProvisionedPerson.objects.exists()


def test_members_of_a_group_linked_to_a_cohort_join_it_and_are_invited(world, committed):
    raw = _token(world.cohort.organisation)
    group = _scim(raw, "POST", "/Groups", {"displayName": "Esihenkilöt kevät 2027"}).json()
    ProvisionedGroup.objects.filter(id=group["id"]).update(cohort=world.cohort)  # the admin
    person = _scim(raw, "POST", "/Users", _person("uusi.esihenkilo@example.com")).json()
    add = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": person["id"]}]}],
    }
    with committed():
        response = _scim(raw, "PATCH", f"/Groups/{group['id']}", add)
    assert response.status_code == 200
    assert response.json()["members"][0]["value"] == person["id"]
    membership = Membership.objects.get(user__email="uusi.esihenkilo@example.com")
    assert membership.cohort == world.cohort and membership.role == Role.PARTICIPANT
    assert [m.to for m in mail.outbox] == [["uusi.esihenkilo@example.com"]]

    # Taken out of the group, they stay in the cohort with what they did.
    remove = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "remove", "path": f'members[value eq "{person["id"]}"]'}],
    }
    assert _scim(raw, "PATCH", f"/Groups/{group['id']}", remove).status_code == 200
    assert Membership.objects.filter(id=membership.id).exists()


def test_a_superuser_links_a_group_to_one_of_its_organisations_cohorts(
    world, other_world, django_user_model, committed
):
    raw = _token(world.cohort.organisation)
    person = _scim(raw, "POST", "/Users", _person("liitetty@example.com")).json()
    group = _scim(
        raw, "POST", "/Groups", {"displayName": "HR", "members": [{"value": person["id"]}]}
    )
    edit = f"/admin/snippets/api/provisionedgroup/edit/{group.json()['id']}/"
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)

    refused = client.post(edit, {"cohort": other_world.cohort.id})  # another organisation's
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Membership.objects.filter(user__email="liitetty@example.com").exists()
    with committed():
        assert client.post(edit, {"cohort": world.cohort.id}).status_code == 302
    membership = Membership.objects.get(user__email="liitetty@example.com")
    assert membership.cohort == world.cohort and mail.outbox[0].to == ["liitetty@example.com"]
    assert client.get("/admin/snippets/api/provisionedgroup/add/").status_code in (302, 403)

    for member in (world.trainer, world.organiser):
        other = Client()
        other.force_login(member.user)
        assert other.get(edit).status_code in (302, 403)


def test_erasing_a_person_forgets_what_scim_kept_of_them(world, django_user_model):
    raw = _token(world.cohort.organisation)
    person = _scim(raw, "POST", "/Users", _person("pyyhitty@example.com", externalId="E-9"))
    group = {"displayName": "HR", "members": [{"value": person.json()["id"]}]}
    group_id = _scim(raw, "POST", "/Groups", group).json()["id"]
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")

    person_erase(user=User.objects.get(email="pyyhitty@example.com"), by=admin)
    assert not ProvisionedPerson.objects.exists()
    assert _scim(raw, "GET", f"/Groups/{group_id}").json().get("members") is None


def test_a_page_of_people_or_groups_takes_the_same_queries_however_many(world):
    raw = _token(world.cohort.organisation)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert _scim(raw, "GET", path).status_code == 200
        return len(captured)

    def add(n):
        ids = []
        for _ in range(n):
            email = f"h{ProvisionedPerson.objects.count()}@example.com"
            ids.append(_scim(raw, "POST", "/Users", _person(email)).json()["id"])
        members = [{"value": i} for i in ids]
        _scim(raw, "POST", "/Groups", {"displayName": f"G{len(ids)}", "members": members})

    add(2)
    few = queries("/Users"), queries("/Groups")
    add(10)
    assert (queries("/Users"), queries("/Groups")) == few


def test_entra_ids_way_of_patching_closes_the_account_too(world):
    """Microsoft Entra ID sends "Replace" capitalised and booleans as strings."""
    raw = _token(world.cohort.organisation)
    person = _scim(raw, "POST", "/Users", _person("entra@example.com")).json()
    entra = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    assert _scim(raw, "PATCH", f"/Users/{person['id']}", entra).status_code == 200
    assert not User.objects.get(email="entra@example.com").is_active


def test_a_person_is_found_by_the_systems_own_identifier(world):
    raw = _token(world.cohort.organisation)
    _scim(raw, "POST", "/Users", _person("ext@example.com", externalId="E-17"))
    found = _scim(raw, "GET", '/Users?filter=externalId eq "E-17"').json()
    assert found["totalResults"] == 1
