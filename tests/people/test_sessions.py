"""Sessions and the logged-in person are read through the cache, which is an optimisation
only: a logout, a deactivation or a new password is honoured at once, and a cache that is down
costs a query, not an error."""

from unittest import mock

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for


def test_a_logged_in_request_reads_its_session_and_user_from_the_cache(world):
    client = client_for(world.participant.user)
    client.get(reverse("ping"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ping")).status_code == 200
    assert len(queries) == 0, queries.captured_queries


def _logged_out(client) -> bool:
    response = client.get(reverse("ping"))
    return response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_deactivated_person_is_logged_out_at_once(world):
    client = client_for(world.participant.user)
    assert not _logged_out(client)  # the user is now cached
    user = world.participant.user
    user.is_active = False
    user.save()
    assert _logged_out(client)


def test_a_new_password_logs_out_the_other_sessions_at_once(world):
    phone, laptop = client_for(world.participant.user), client_for(world.participant.user)
    assert not _logged_out(phone) and not _logged_out(laptop)
    user = world.participant.user
    user.set_password("a whole new passphrase")
    user.save()
    assert _logged_out(phone) and _logged_out(laptop)


def test_a_revoked_admin_right_is_honoured_at_once(world):
    user = world.organiser.user
    user.is_superuser = True
    user.save()
    client = client_for(user)
    assert client.get("/admin/").status_code == 200
    user.is_superuser = False
    user.save()
    assert client.get("/admin/").status_code != 200


def test_a_logout_is_honoured_at_once(world):
    client = client_for(world.participant.user)
    assert client.get(reverse("ping")).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, kept by someone
    response = client.get(reverse("ping"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_cache_that_is_down_costs_a_query_not_an_error(world):
    client = client_for(world.participant.user)
    backend = type(caches["default"])
    down = mock.patch.object(backend, "get", side_effect=ConnectionError("redis down"))
    down_set = mock.patch.object(backend, "set", side_effect=ConnectionError("redis down"))
    down_delete = mock.patch.object(backend, "delete", side_effect=ConnectionError("down"))
    with down, down_set, down_delete:
        assert client.get(reverse("ping")).status_code == 200
        client.post(reverse("account_logout"))
        assert client.get(reverse("ping")).status_code == 302
