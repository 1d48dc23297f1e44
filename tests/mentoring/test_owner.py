"""The programme's owner acts on pairs (pause, re-pair, message), records recognition; the
check-in reminders go at most once a week, to those who have not answered and want them."""

from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Pair, PairStatus, Recognition
from mentoring.tasks import checkin_reminders_send
from polku.notifications.models import NotificationPreference
from tests.conftest import client_for


def _programme_url(world, programme, name="mentoring_programme", *args):
    return reverse(name, args=[world.cohort.slug, programme.id, *args])


def test_the_owner_pauses_re_pairs_and_messages_a_pair(
    world, programme, pair, committed, mailoutbox
):
    owner = client_for(world.organiser.user)
    act = _programme_url(world, programme, "mentoring_pair_act", pair.id)
    owner.post(act, {"action": "pause"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.PAUSED
    repaired = owner.post(act, {"action": "repair"})
    assert repaired.url.endswith(f"?mentee={world.participant.user.id}")
    suggestions = owner.get(repaired.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suggestions for" in suggestions
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED
    owner.post(
        _programme_url(world, programme, "mentoring_pair_new"),
        {"mentee": world.participant.user.id, "mentor": world.group_mate.user.id},
    )
    assert Pair.objects.get(status=PairStatus.ACTIVE).mentor == world.group_mate.user
    with committed():
        owner.post(
            _programme_url(world, programme, "mentoring_pair_message", pair.id),
            {"to": "mentee", "text": "Miten voin auttaa? 'Kerro' vain."},
        )
    assert [m.to for m in mailoutbox] == [[world.participant.user.email]]
    assert "Miten voin auttaa? 'Kerro' vain." in mailoutbox[0].body


def test_a_pair_of_another_programme_or_organisation_is_404(world, other_world, programme, pair):
    from tests.mentoring.conftest import programme_build

    theirs = programme_build(other_world)
    owner = client_for(world.organiser.user)
    assert owner.get(_programme_url(world, theirs)).status_code == 404
    other_owner = client_for(other_world.organiser.user)
    act = reverse("mentoring_pair_act", args=[other_world.cohort.slug, theirs.id, pair.id])
    assert other_owner.post(act, {"action": "end"}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE


def test_recognition_is_recorded_and_shown_to_the_person(world, programme, pair):
    owner = client_for(world.organiser.user)
    url = _programme_url(world, programme, "mentoring_recognition")
    refused = owner.post(
        url,
        {"user": world.group_mate.user.id, "what": "Lounas", "given_on": "2026-11-30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200 and not Recognition.objects.exists()
    owner.post(
        url, {"user": world.participant.user.id, "what": "Pizzalounas", "given_on": "2026-11-30"}
    )
    page = client_for(world.participant.user).get(reverse("mentoring_pair", args=[pair.id]))
    assert "Pizzalounas" in page.content.decode()
    assert (
        "Pizzalounas"
        not in client_for(world.classmate.user)
        .get(reverse("mentoring_pair", args=[pair.id]))
        .content.decode()
    )


def test_check_in_reminders_go_once_a_week_to_those_who_have_not_answered(
    world, programme, pair, mailoutbox
):
    NotificationPreference.objects.create(user=world.classmate.user, reminders=False)
    assert checkin_reminders_send() == 1
    assert [m.to for m in mailoutbox] == [[world.participant.user.email]]
    assert reverse("mentoring_check_in", args=[pair.id]) in mailoutbox[0].body
    assert checkin_reminders_send() == 0  # once a week
    services.pair_status_set(pair=pair, status=PairStatus.PAUSED)
    NotificationPreference.objects.filter(user=world.classmate.user).update(reminders=True)
    assert checkin_reminders_send() == 0  # paused: no reminders


def test_a_check_in_done_stops_the_reminder(world, programme, pair, mailoutbox):
    for user in (world.participant.user, world.classmate.user):
        services.checkin_save(pair=pair, by=user, score=4, met=True)
    assert checkin_reminders_send() == 0
    assert services.checkins_unanswered([pair], timezone.localdate()) == set()
