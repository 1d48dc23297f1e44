"""The pair's space on a phone: goals owned by the mentee, sessions planned and logged,
shared notes, the check-in; what the two see and what nobody else does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import CheckIn, PairStatus
from mentoring.services import MentoringRefused
from tests.conftest import client_for


def _page(client, pair) -> str:
    response = client.get(reverse("mentoring_pair", args=[pair.id]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_mentee_owns_the_goals_and_both_write_notes(world, pair):
    mentee, mentor = client_for(world.participant.user), client_for(world.classmate.user)
    mentee.post(reverse("mentoring_goal_add", args=[pair.id]), {"text": "Kuuntelen loppuun"})
    refused = mentor.post(
        reverse("mentoring_goal_add", args=[pair.id]),
        {"text": "Mentorin tavoite"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "written by the one mentored" in refused
    mentor.post(
        reverse("mentoring_note_add", args=[pair.id]), {"text": "<script>alert(1)</script>Hyvä"}
    )
    page = _page(mentee, pair)
    assert "Kuuntelen loppuun" in page and "Mentorin tavoite" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Hyvä" in page and "<script>alert" not in page
    goal = pair.goals.get()
    mentee.post(reverse("mentoring_goal_done", args=[pair.id, goal.id]), {"done": "1"})
    goal.refresh_from_db()
    assert goal.done


def test_a_session_logged_on_a_phone_and_a_refused_one_keeps_what_was_typed(world, pair):
    mentor = client_for(world.classmate.user)
    today = timezone.localdate()
    url = reverse("mentoring_session_log", args=[pair.id])
    mentor.post(
        url, {"held_on": today.isoformat(), "minutes": "45", "held": "held", "casual": "on"}
    )
    planned = today + timedelta(days=7)
    mentor.post(url, {"held_on": planned.isoformat(), "minutes": "60", "held": "planned"})
    refused = mentor.post(
        url,
        {"held_on": (today + timedelta(days=2)).isoformat(), "minutes": "50", "held": "held"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "cannot have been held yet" in refused and 'value="50"' in refused
    negative = mentor.post(
        url,
        {"held_on": today.isoformat(), "minutes": "-30", "held": "held"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "5 minutes to 10 hours" in negative
    assert services.pair_hours(pair) == 0.75  # the planned one counts when its day comes
    page = _page(client_for(world.participant.user), pair)
    assert "casual" in page and "Planned" in page
    session = pair.sessions.get(held_on=planned)
    mentor.post(reverse("mentoring_session_cancel", args=[pair.id, session.id]))
    assert not pair.sessions.filter(held_on=planned).exists()


def test_check_ins_are_weekly_then_monthly():
    from datetime import date

    start = date(2026, 1, 7)  # a Wednesday
    assert services.period_start(start, 8, date(2026, 1, 9)) == date(2026, 1, 5)
    assert services.period_start(start, 8, date(2026, 2, 24)) == date(2026, 2, 23)
    # After eight weeks from the first Monday (5.1. + 8 weeks = 2.3.), a month each.
    assert services.period_start(start, 8, date(2026, 3, 20)) == date(2026, 3, 2)
    assert services.period_start(start, 8, date(2026, 4, 20)) == date(2026, 4, 1)
    ended = services.periods_ended(start, 8, date(2026, 4, 20))  # the first, partial week
    assert ended[0] == date(2026, 1, 12) and ended[-1] == date(2026, 3, 2)  # is not owed
    assert len(ended) == 8


def test_a_check_in_goes_to_the_owner_not_to_the_other_side(world, pair):
    mentee = client_for(world.participant.user)
    url = reverse("mentoring_check_in", args=[pair.id])
    assert "Answer this week" in _page(mentee, pair)
    mentee.post(
        url,
        {"score": "2", "met": "no", "too_busy": "on", "in_the_way": "Kiireinen kvartaali"},
    )
    checkin = CheckIn.objects.get()
    assert (checkin.score, checkin.met, checkin.too_busy) == (2, False, True)
    assert "Answer this week" not in _page(mentee, pair)
    assert "Kiireinen kvartaali" not in _page(client_for(world.classmate.user), pair)
    mentee.post(url, {"score": "4", "met": "yes"})  # again: the answer changes, not a new one
    assert CheckIn.objects.get().score == 4

    programme_url = reverse("mentoring_programme", args=[world.cohort.slug, pair.programme_id])
    owner = client_for(world.organiser.user).get(programme_url, HTTP_ACCEPT_LANGUAGE="en")
    assert "4/5" in owner.content.decode()
    other_organiser = world.cohort.memberships.create(
        user=type(world.organiser.user).objects.create_user(
            "hr2@example.com", "a-long-test-password"
        ),
        role="organiser",
    )
    figures_only = client_for(other_organiser.user).get(programme_url, HTTP_ACCEPT_LANGUAGE="en")
    assert "4/5" not in figures_only.content.decode()
    assert "check-in answers go to the programme's owner" in figures_only.content.decode()


def test_a_check_in_for_a_closed_programme_or_a_paused_pair_is_refused(world, pair):
    mentee = client_for(world.participant.user)
    url = reverse("mentoring_check_in", args=[pair.id])
    services.pair_status_set(pair=pair, status=PairStatus.PAUSED)
    page = mentee.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "paused or has ended" in page
    services.pair_status_set(pair=pair, status=PairStatus.ACTIVE)
    programme = pair.programme
    programme.ends_on = timezone.localdate() - timedelta(days=1)
    programme.save()
    response = mentee.post(url, {"score": "5", "met": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "check-ins are closed" in response.content.decode()
    assert not CheckIn.objects.exists()
    pair.refresh_from_db()
    with pytest.raises(MentoringRefused, match="check-ins are closed"):
        services.checkin_save(pair=pair, by=world.participant.user, score=3, met=True)


def test_the_certificate_is_a_pdf_with_the_persons_own_hours(world, pair):
    user = world.participant.user
    user.first_name, user.last_name = "Łukasz", "Nieminen–Kallio"
    user.save()
    services.session_log(pair=pair, by=user, held_on=timezone.localdate(), minutes=90)
    response = client_for(user).get(reverse("mentoring_certificate", args=[pair.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_guide_page_reaches_its_audience_inside_the_pair(world, pair):
    from mentoring.models import MentoringGuidePage

    for title, audience in (("Mentorin opas", "mentors"), ("Aktorin opas", "mentees")):
        world.cohort.programme.add_child(
            instance=MentoringGuidePage(
                title=title,
                audience=audience,
                body=[("rich_text", f"<p>{title} sisältö</p>")],
            )
        )
    mentor_page = _page(client_for(world.classmate.user), pair)
    assert "Mentorin opas" in mentor_page and "Aktorin opas" not in mentor_page
    guide = MentoringGuidePage.objects.get(title="Mentorin opas")
    mentor = client_for(world.classmate.user)
    assert (
        "Mentorin opas sisältö"
        in mentor.get(reverse("mentoring_guide", args=[pair.id, guide.id])).content.decode()
    )
    mentee = client_for(world.participant.user)
    assert mentee.get(reverse("mentoring_guide", args=[pair.id, guide.id])).status_code == 404
    assert mentor.get(guide.url).status_code == 404  # its Wagtail address shows nothing


def test_a_trainer_previews_a_guide_in_the_editor(world, rf):
    from tests.factories import MentoringGuidePageFactory

    guide = MentoringGuidePageFactory(parent=world.cohort.programme)
    request = rf.get("/")
    request.user = world.trainer.user
    response = guide.serve_preview(request, "")
    response.render()
    assert "Kysy ennemmin kuin neuvo." in response.content.decode()


def test_a_planned_session_is_in_both_peoples_calendar_feeds(world, pair):
    """Planned from today on: an all-day event in the mentor's and the mentee's feeds; held
    ones and other people's are not."""
    from datetime import timedelta

    import vobject
    from django.test import Client
    from django.utils import timezone

    from mentoring.models import MentoringSession
    from polku.people.services import calendar_key_renew

    soon = timezone.localdate() + timedelta(days=3)
    planned = MentoringSession.objects.create(pair=pair, held_on=soon, minutes=45, held=False)
    MentoringSession.objects.create(pair=pair, held_on=soon, minutes=30, held=True)
    for person, other in ((pair.mentor, pair.mentee), (pair.mentee, pair.mentor)):
        feed = Client().get(reverse("calendar_feed", args=[calendar_key_renew(user=person)]))
        calendar = vobject.readOne(feed.content.decode())
        sessions = [e for e in calendar.vevent_list if e.uid.value.startswith("mentoring-session-")]
        assert [e.uid.value.split("@")[0] for e in sessions] == [f"mentoring-session-{planned.id}"]
        assert sessions[0].dtstart.value == soon  # a date: all day
        assert str(other) in sessions[0].summary.value
    outsider = world.group_mate.user
    feed = Client().get(reverse("calendar_feed", args=[calendar_key_renew(user=outsider)]))
    assert "mentoring-session-" not in feed.content.decode()
