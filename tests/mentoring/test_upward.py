"""Upward coaching: a supervisor asks team members, one at a time, to coach them; a team
member says yes with a minimal account that reaches only their pair; the rest of the team
never sees who coaches."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentoring import services
from mentoring.models import CoachInvitation, Pair, PairStatus, ProgrammeKind
from mentoring.services import MentoringRefused
from polku.people.models import User
from tests.conftest import client_for
from tests.mentoring.conftest import programme_build


@pytest.fixture
def upward(world):
    return programme_build(world, kind=ProgrammeKind.UPWARD, name="Tiimi valmentaa")


def _link(mail) -> str:
    return next(line for line in mail.body.splitlines() if "/mentoring/join/" in line).strip()


def test_a_supervisor_invites_coaches_in_turn_and_a_team_member_joins(
    world, upward, committed, mailoutbox
):
    supervisor = client_for(world.participant.user)
    url = reverse("mentoring_coaches", args=[upward.id])
    with committed():
        first = supervisor.post(
            url,
            {"name": "Tiina Tiimi", "email": "tiina@example.com"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        second = supervisor.post(
            url,
            {"name": "Olli Tiimi", "email": "olli@example.com"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "Tiina Tiimi is invited" in first.content.decode()
    assert "Olli Tiimi is next in line" in second.content.decode()
    assert [m.to for m in mailoutbox] == [["tiina@example.com"]]
    again = supervisor.post(
        url, {"name": "Tiina", "email": "TIINA@example.com"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "invited this person already" in again.content.decode()

    team_member = client_for(None)
    link = _link(mailoutbox[0]).removeprefix("http://testserver")
    page = team_member.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "asks you to be their coach" in page
    joined = team_member.post(
        link,
        {"name": "Tiina Tiimi", "password1": "kahvi-ja-pulla-22", "password2": "kahvi-ja-pulla-22"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    pair = Pair.objects.get(mentee=world.participant.user)
    assert joined.redirect_chain[-1][0] == reverse("mentoring_pair", args=[pair.id])
    coach = pair.mentor
    assert coach.email == "tiina@example.com" and not coach.memberships.exists()
    text = joined.content.decode()
    assert "How to coach" in text and "Questions to start from" in text
    # The minimal account reaches its pair and nothing of the cohort.
    assert team_member.get(reverse("home")).url == reverse("mentoring_home")
    assert team_member.get(reverse("cohort_path", args=[world.cohort.slug])).status_code == 404
    # The link again: straight to the space.
    assert team_member.get(link).url == reverse("mentoring_pair", args=[pair.id])

    # An invitation to someone who coaches already is refused.
    refused = supervisor.post(
        url, {"name": "Tiina", "email": "tiina@example.com"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "your coach in this programme already" in refused.content.decode()

    # The supervisor ends the coaching: the next one is invited.
    with committed():
        supervisor.post(reverse("mentoring_pair_end", args=[pair.id]))
    assert [m.to for m in mailoutbox][-1] == ["olli@example.com"]
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED


def test_the_rest_of_the_team_never_sees_who_coaches(world, upward, committed, mailoutbox):
    with committed():
        invitation, _sent = services.coach_invite(
            programme=upward,
            supervisor=world.participant.user,
            name="Tiina",
            email="tiina@example.com",
        )
    pair = services.coach_invitation_accept(
        invitation=invitation, name="Tiina Tiimi", password="kahvi-ja-pulla-22"
    )
    other = User.objects.create_user("olli@example.com", "a-long-test-password")
    other_pair = Pair.objects.create(programme=upward, mentor=other, mentee=world.participant.user)
    client = client_for(other)
    assert client.get(reverse("mentoring_pair", args=[pair.id])).status_code == 404
    home = client.get(reverse("mentoring_home")).content.decode()
    assert "Tiina" not in home and str(other_pair.id) in home


def test_bad_invitation_links_get_a_clear_message(world, upward, committed, mailoutbox):
    client = client_for(None)
    garbled = client.get(reverse("mentoring_join", args=["not-a-token"]), HTTP_ACCEPT_LANGUAGE="en")
    assert garbled.status_code == 404 and "not valid" in garbled.content.decode()
    with committed():
        invitation, _sent = services.coach_invite(
            programme=upward,
            supervisor=world.participant.user,
            name="Tiina",
            email="tiina@example.com",
        )
    CoachInvitation.objects.filter(id=invitation.id).update(
        sent_at=timezone.now() - timedelta(days=31)
    )
    link = reverse("mentoring_join", args=[services.coach_invitation_token(invitation)])
    expired = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    with committed():
        client_for(world.participant.user).post(
            reverse("mentoring_coaches", args=[upward.id]), {"resend": invitation.id}
        )
    assert len(mailoutbox) == 2 and client.get(link).status_code == 200
    with translation.override("en"), pytest.raises(MentoringRefused, match="not yourself"):
        services.coach_invite(
            programme=upward,
            supervisor=world.participant.user,
            name="Minä",
            email=world.participant.user.email,
        )


def test_a_lost_invitation_email_is_sent_again_by_the_beat(world, upward, mailoutbox):
    from mentoring.tasks import mentoring_tick

    invitation, _sent = services.coach_invite(  # no commit: the task never ran
        programme=upward,
        supervisor=world.participant.user,
        name="Tiina",
        email="tiina@example.com",
    )
    assert mentoring_tick() == 0  # not yet: it may still be on its way
    CoachInvitation.objects.filter(id=invitation.id).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    assert mentoring_tick() == 1
    assert [m.to for m in mailoutbox] == [["tiina@example.com"]]
    assert mentoring_tick() == 0


def test_a_supervisor_is_never_suggested_as_their_team_members_classic_mentor(world, upward):
    classic = programme_build(world, kind=ProgrammeKind.CLASSIC, name="Klassinen")
    coach = User.objects.create_user("tiina@example.com", "a-long-test-password")
    Pair.objects.create(programme=upward, mentor=coach, mentee=world.participant.user)
    world.cohort.memberships.create(user=coach, role="participant")
    organisation = world.cohort.organisation
    services.profile_save(
        user=world.participant.user,
        organisation=organisation,
        can_help_with="asiakaspalvelu ja myynti",
        capacity=2,
    )
    services.profile_save(
        user=world.group_mate.user,
        organisation=organisation,
        can_help_with="budjetointi",
        capacity=1,
    )
    services.profile_save(
        user=world.classmate.user,
        organisation=organisation,
        can_help_with="myynti ja somemarkkinointi",
        capacity=1,
    )
    services.profile_save(user=coach, organisation=organisation, wants_help_with="myynti")
    suggested = services.mentor_suggestions(classic, coach)
    assert [s.user for s in suggested] == [world.classmate.user, world.group_mate.user]
    assert suggested[0].matches == ["myynti"]
    with pytest.raises(MentoringRefused, match="not their own team member's mentor"):
        services.pair_create(programme=classic, mentor=world.participant.user, mentee=coach)
    services.pair_create(programme=classic, mentor=world.classmate.user, mentee=coach)
    assert world.classmate.user not in [
        s.user for s in services.mentor_suggestions(classic, world.group_mate.user)
    ]  # full: one pair at a time


def test_the_menu_shows_mentoring_once_a_supervisor_has_some(world):
    supervisor = client_for(world.participant.user)
    path = reverse("cohort_path", args=[world.cohort.slug])
    assert 'href="/mentoring/"' not in supervisor.get(path).content.decode()
    programme_build(world, kind=ProgrammeKind.UPWARD, name="Tiimi valmentaa")
    assert 'href="/mentoring/"' in supervisor.get(path).content.decode()
    assert 'href="/mentoring/"' not in client_for(world.trainer.user).get(path).content.decode()
