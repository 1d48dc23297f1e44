"""Sessions are read through the cache, which is an optimisation only: a logout is
honoured at once, and a cache that is down costs a query, not an error."""

from unittest import mock

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for


def test_a_logged_in_request_reads_its_session_from_the_cache(world):
    client = client_for(world.participant.user)
    client.get(reverse("ping"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ping")).status_code == 200
    assert len(queries) == 1  # the user; the session came from the cache
    assert "django_session" not in queries.captured_queries[0]["sql"]


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
