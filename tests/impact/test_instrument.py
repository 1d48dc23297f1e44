"""An instrument edited in Wagtail: an item that was answered never changes meaning; a new
version is asked from then on, and results follow the item across waves."""

import re
from datetime import timedelta

from django.utils import timezone

from impact import selectors, services
from impact.models import SurveyItem, SurveyPage, SurveyWave, TeamInvitation
from tests.impact.conftest import answers_store, statements


def _reword(survey, new_text):
    page = SurveyPage.objects.get(id=survey.id)
    stream = page.items.raw_data
    for block in stream:
        if block["type"] == "statement":
            block["value"]["text_en"] = new_text
            break
    page.items = stream
    page.save_revision().publish()
    return page


def test_rewording_before_anyone_answered_keeps_the_item(world, survey):
    first = statements(survey)[0]
    _reword(survey, "My supervisor often asks me for feedback.")
    item = SurveyItem.objects.get(survey=survey, key=first.key)
    assert item.version == 1 and item.text("en") == "My supervisor often asks me for feedback."


def test_rewording_an_answered_item_makes_a_new_version_and_results_follow_it(world, survey, waves):
    baseline, end = waves
    first = statements(survey)[0]
    answers_store(baseline, world.participant, [{first: 2}] * 5)
    _reword(survey, "My supervisor often asks me for feedback.")
    versions = list(SurveyItem.objects.filter(survey=survey, key=first.key).order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].text("en") != versions[1].text("en")  # what people answered stays
    # The form now asks the new wording; answers to it still compare with the baseline.
    assert first.id not in [item.id for item in services.current_items(survey)]
    answers_store(end, world.participant, [{versions[1]: 4}] * 5)
    world.participant.cohort.programme.refresh_from_db()
    (result,) = selectors.team_results(world.participant, language="en")
    row = next(row for row in result.items if row.item.key == first.key)
    assert [cell.mean for cell in row.cells] == [2.0, 4.0] and row.change == 2.0


def test_an_item_removed_from_the_page_is_no_longer_asked(world, survey):
    page = SurveyPage.objects.get(id=survey.id)
    stream = [b for b in page.items.raw_data if b["type"] != "open"]
    page.items = stream
    page.save_revision().publish()
    assert all(item.is_statement for item in services.current_items(page))


def test_a_wave_opening_sends_every_team_its_links_once(world, survey, committed, mailoutbox):
    from impact.tasks import waves_tick

    SurveyWave.objects.all().delete()  # only the wave this test opens
    world.participant.team_members.create(email="tiimi@example.com")
    world.classmate.team_members.create(email="toinen@example.com")
    now = timezone.now()
    SurveyWave.objects.create(
        cohort=world.cohort,
        page=survey,
        kind="midpoint",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=2),  # closes within three days: a reminder too
    )
    with committed():
        waves_tick()
    with committed():
        waves_tick()  # the next tick: nothing twice, and no reminder on the link's heels
    assert sorted(m.to[0] for m in mailoutbox) == ["tiimi@example.com", "toinen@example.com"]
    TeamInvitation.objects.update(sent_at=now - timedelta(days=1, minutes=1))
    TeamInvitation.objects.filter(member__email="toinen@example.com").update(used=True)
    with committed():
        waves_tick()
    with committed():
        waves_tick()
    # Only who has not answered is reminded, once.
    assert [m.to[0] for m in mailoutbox[2:]] == ["tiimi@example.com"]


def test_links_whose_sending_was_lost_go_at_the_next_tick(world, waves, mailoutbox):
    from impact import services
    from impact.tasks import waves_tick

    _baseline, end = waves
    member = world.participant.team_members.create(email="tiimi@example.com")
    # Created, but its task never ran (the worker was killed): no email went.
    TeamInvitation.objects.create(wave=end, member=member)
    SurveyWave.objects.filter(id=end.id).update(invitations_sent_at=timezone.now())
    assert mailoutbox == []
    waves_tick()
    assert [m.to[0] for m in mailoutbox] == ["tiimi@example.com"]
    waves_tick()
    assert len(mailoutbox) == 1  # and never twice
    # The link in the email opens this person's survey. (The token carries a timestamp, so
    # it is resolved rather than compared with a freshly made one.)
    token = re.search(r"/([^/\s]+)/\s", mailoutbox[0].body).group(1)
    assert services.invitation_from_token(token) == TeamInvitation.objects.get()
