"""A team member answers on a phone, from a personal link or the team link: what they see,
what is stored, and every way a link can be wrong."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from impact import services
from impact.models import TeamFigures, TeamInvitation, TeamResponse
from tests.conftest import client_for
from tests.impact.conftest import open_items, statements


@pytest.fixture
def invited(world, waves, committed, mailoutbox):
    """The supervisor adds three team members during the open end wave: each is mailed a
    personal link."""
    with committed():
        services.team_members_add(
            supervisor=world.participant,
            emails=["a@example.com", "b@example.com", "c@example.com"],
        )
    return mailoutbox


def _link(mail) -> str:
    return re.search(r"https?://[^/]+(/s/[^\s]+/)", mail.body).group(1)


def test_a_personal_link_opens_the_survey_once_and_stores_no_trace_of_it(
    world, survey, invited, committed
):
    assert sorted(m.to[0] for m in invited) == ["a@example.com", "b@example.com", "c@example.com"]
    link = _link(invited[0])
    phone = Client()  # no account
    page = phone.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world.participant.user.get_full_name() in page
    first, second = statements(survey)[:2]
    comment = open_items(survey)[0]
    with committed():
        done = phone.post(
            link,
            {
                f"item-{first.id}": "4",
                f"item-{second.id}": "0",  # can't say
                f"item-{comment.id}": "<b>Kuuntelee</b> hyvin",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "Thank you" in done.content.decode()
    (response,) = TeamResponse.objects.all()
    assert response.values == {str(first.id): 4, str(second.id): 0}  # partial: the rest unanswered
    assert response.texts == {str(comment.id): "<b>Kuuntelee</b> hyvin"}
    # Nothing leads from the answers back to the link or to a moment.
    names = {f.name for f in TeamResponse._meta.get_fields()}
    assert not names & {"invitation", "member", "created_at", "submitted_at", "ip"}
    assert TeamInvitation.objects.filter(used=True).count() == 1
    figures = TeamFigures.objects.get(supervisor=world.participant)
    assert figures.responses == 1 and figures.items[first.key]["n"] == 1
    assert figures.items[second.key] == {
        "n": 0, "sum": 0, "sumsq": 0, "dist": [0, 0, 0, 0, 0], "cant_say": 1
    }  # fmt: skip
    # The link is used up: a second submit (a double tap) stores nothing more.
    again = phone.post(link, {f"item-{first.id}": "5"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "used already" in again.content.decode()
    assert TeamResponse.objects.count() == 1


def test_the_survey_page_leads_nowhere_else_in_polku(world, survey, invited):
    page = Client().get(_link(invited[0]), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    assert {h for h in hrefs if h.startswith("/") and not h.startswith("/static/")} == set()
    assert 'lang="fi"' in page


def test_a_tampered_or_closed_link_says_so_plainly(world, waves, invited, committed):
    link = _link(invited[0])
    tampered = Client().get(link[:-3] + "xx/", HTTP_ACCEPT_LANGUAGE="en")
    assert tampered.status_code == 404 and "not valid" in tampered.content.decode()
    baseline, end = waves
    end.closes_at = baseline.closes_at
    end.save()
    closed = Client().get(link, HTTP_ACCEPT_LANGUAGE="fi")
    assert closed.status_code == 410 and "sulkeutunut" in closed.content.decode()


def test_sending_an_empty_form_asks_for_an_answer_and_keeps_the_link(world, invited, committed):
    link = _link(invited[0])
    empty = Client().post(link, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert "at least one question" in empty.content.decode()
    assert TeamInvitation.objects.filter(used=True).count() == 0


def test_the_team_link_takes_one_answer_per_phone(world, survey, waves, committed):
    baseline, end = waves
    token = services.team_link_token(wave=end, supervisor=world.participant)
    url = reverse("team_survey_link", args=[token])
    item = statements(survey)[0]
    phone = Client()
    with committed():
        phone.post(url, {f"item-{item.id}": "5"}, HTTP_ACCEPT_LANGUAGE="en")
    again = phone.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from this device already" in again
    with committed():
        phone.post(url, {f"item-{item.id}": "5"}, HTTP_ACCEPT_LANGUAGE="en")
    other_phone = Client()
    with committed():
        other_phone.post(url, {f"item-{item.id}": "3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert TeamResponse.objects.filter(wave=end).count() == 2
    # A link for the baseline, which closed, takes nothing.
    closed = reverse(
        "team_survey_link",
        args=[services.team_link_token(wave=baseline, supervisor=world.participant)],
    )
    assert Client().post(closed, {f"item-{item.id}": "3"}).status_code == 410


def test_a_burst_from_one_network_is_slowed_down(world, survey, waves, settings):
    settings.POLKU_TEAM_LINK_POSTS_PER_HOUR = 6
    _baseline, end = waves
    url = reverse(
        "team_survey_link", args=[services.team_link_token(wave=end, supervisor=world.participant)]
    )
    item = statements(survey)[0]
    codes = [Client().post(url, {f"item-{item.id}": "4"}).status_code for _n in range(8)]
    assert codes.count(429) == 2 and TeamResponse.objects.count() == 6


def test_pasted_addresses_are_read_and_mistakes_named(world, waves, committed):
    supervisor = client_for(world.participant.user)
    url = reverse("team_members_add", args=[world.cohort.slug])
    with committed():
        page = supervisor.post(
            url,
            {
                "emails": "Matti M. <matti@example.com>, liisa@example.com;\n"
                "ei-osoite@\nmatti@example.com"
            },
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    assert "2 people added to your team" in page and "ei-osoite@" in page
    assert sorted(world.participant.team_members.values_list("email", flat=True)) == [
        "liisa@example.com",
        "matti@example.com",
    ]
