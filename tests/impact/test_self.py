"""The supervisor's own side: answering about themselves (changeable while the wave is open,
not after) and the weekly self-evaluation with its gentle, switchable reminder."""

from django.urls import reverse
from django.utils import timezone

from impact.models import Rater, ReflectionHabit, TeamResponse
from impact.tasks import reflection_reminders_send
from tests.conftest import client_for
from tests.impact.conftest import statements


def test_a_supervisor_answers_about_themselves_and_may_change_it_until_the_wave_closes(
    world, survey, waves
):
    baseline, end = waves
    item = statements(survey)[0]
    client = client_for(world.participant.user)
    url = reverse("self_assessment", args=[world.cohort.slug, end.id])
    client.post(url, {f"item-{item.id}": "3"})
    client.post(url, {f"item-{item.id}": "4"})
    (own,) = TeamResponse.objects.filter(rater=Rater.SELF)
    assert own.values == {str(item.id): 4}
    assert f'value="4" id="id_item-{item.id}_3" checked' in client.get(url).content.decode()
    closed = reverse("self_assessment", args=[world.cohort.slug, baseline.id])
    page = client.post(closed, {f"item-{item.id}": "5"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "has closed" in page.content.decode()
    assert TeamResponse.objects.filter(rater=Rater.SELF).count() == 1
    # Another supervisor's wave (another cohort) is not theirs.
    assert (
        client.get(reverse("self_assessment", args=[world.cohort.slug, 999999])).status_code == 404
    )


def test_the_weekly_reminder_goes_once_to_who_has_not_written_and_can_be_switched_off(
    world, waves, mailoutbox
):
    from impact import services

    assert reflection_reminders_send() == 3  # the cohort's three supervisors
    assert reflection_reminders_send() == 0  # once a week
    mailoutbox.clear()
    from polku.notifications.models import Notice

    Notice.objects.all().delete()  # a new week, as far as the claims go
    services.reflection_save(
        membership=world.participant,
        week=timezone.localdate(),
        went_well="Palaveri",
        develop="",
        act="",
        shared=False,
    )
    client_for(world.group_mate.user).post(
        reverse("reflection_reminder", args=[world.cohort.slug]), {}
    )  # unticked: off
    assert not ReflectionHabit.objects.get(membership=world.group_mate).weekly_reminder
    reflection_reminders_send()
    assert [m.to[0] for m in mailoutbox] == [world.classmate.user.email]


def test_a_cohort_without_team_surveys_gets_no_weekly_reminder(world, mailoutbox):
    assert reflection_reminders_send() == 0
    assert mailoutbox == []
