"""Live feedback as people use it: answering on a phone, the facilitator, the projector."""

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.live import services
from programmes.live.models import LiveAnswer, LiveQuestion
from programmes.live.views import PROJECTOR_SALT
from tests.conftest import client_for, live_question_build
from tests.factories import MembershipFactory


def _answer(world, membership, question, value):
    return client_for(membership.user).post(
        reverse("live_answer", args=[world.cohort.slug, question.id]),
        {"value": value},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def _day_page(world, membership):
    return (
        client_for(membership.user)
        .get(reverse("live_day", args=[world.cohort.slug, world.day.id]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )


def test_a_participant_answers_and_then_sees_the_room(world, committed):
    question = live_question_build(world, kind="words")
    assert "Mikä jäi mieleen?" in _day_page(world, world.participant)
    with committed():
        page = _answer(world, world.participant, question, "valmentava ote").content.decode()
    assert "Your answer is in" in page
    assert "valmentava" in page  # the room's word cloud, after answering


def _answer_by_script(world, membership, question, value):
    """As static/live.js sends it: the card comes back, the page stays."""
    return client_for(membership.user).post(
        reverse("live_answer", args=[world.cohort.slug, question.id]),
        {"value": value},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_an_answer_sent_by_the_page_returns_its_card_with_the_room(world, committed):
    question = live_question_build(world, kind="words")
    with committed():
        response = _answer_by_script(world, world.participant, question, "valmentava ote")
    body = response.json()
    assert response.status_code == 200 and body["ok"]
    assert "Your answer is in" in body["message"]
    assert f'id="q-{question.id}"' in body["html"]  # the card, to take the old one's place
    assert "Change my answer" in body["html"] and "valmentava" in body["html"]
    assert "<html" not in body["html"]  # not the whole page
    assert LiveAnswer.objects.get(question=question).value == "valmentava ote"


def test_the_rooms_summary_on_a_card_follows_each_new_build(world, committed):
    """The summary's HTML is rendered once per version: a later build shows at once."""
    question = live_question_build(world, kind="words")
    with committed():
        _answer_by_script(world, world.participant, question, "kahvi")
    assert "kahvi" in _day_page(world, world.participant)
    with committed():
        _answer_by_script(world, world.group_mate, question, "valmentaja")
    page = _day_page(world, world.participant)
    assert "kahvi" in page and "valmentaja" in page


def test_a_refused_answer_sent_by_the_page_says_why_and_stores_nothing(world):
    question = live_question_build(world, kind="words")
    response = _answer_by_script(world, world.participant, question, "neljä sanaa liikaa tähän")
    assert response.status_code == 400
    assert "One to three words" in response.json()["message"]
    services.question_close(question=question)
    response = _answer_by_script(world, world.participant, question, "myöhässä")
    assert response.status_code == 400
    assert "has closed" in response.json()["message"]
    assert not LiveAnswer.objects.exists()


def test_an_answer_after_closing_is_refused_with_a_message(world):
    question = live_question_build(world)
    client_for(world.trainer.user).post(
        reverse("live_question_close", args=[world.cohort.slug, question.id])
    )
    page = _answer(world, world.participant, question, "myöhässä").content.decode()
    assert "has closed: your answer was not saved" in page
    assert not LiveAnswer.objects.exists()


def test_an_anonymous_question_never_shows_who_answered_what(world, committed):
    anonymous = live_question_build(world, kind="open", prompt="Anonyymi")
    named = live_question_build(world, kind="open", prompt="Nimellinen")
    LiveQuestion.objects.filter(id=named.id).update(anonymous=False)
    with committed():
        _answer(world, world.participant, anonymous, "Salainen ajatus")
        _answer(world, world.participant, named, "Julkinen ajatus")
    page = _day_page(world, world.trainer)
    section = page[page.index("Anonyymi") : page.index("Nimellinen")]
    assert "Who answered what" not in section
    assert "Who answered what" in page[page.index("Nimellinen") :]
    csv_anonymous = (
        client_for(world.trainer.user)
        .get(reverse("live_answers_csv", args=[world.cohort.slug, anonymous.id]))
        .content.decode()
    )
    assert world.participant.user.email not in csv_anonymous
    assert world.participant.user.get_full_name() not in csv_anonymous
    assert csv_anonymous.startswith("\ufeff")  # Excel opens it as UTF-8


def test_quotes_of_fewer_than_three_answers_stay_off_the_projector(world, committed):
    question = live_question_build(world, kind="open", prompt="Mitä kokeilet?")
    with committed():
        _answer(world, world.participant, question, "Kysyn palautetta tiimiltä")
        _answer(world, world.group_mate, question, "Palautetta pyydän perjantaisin")
    url = reverse("live_projector", args=[world.cohort.slug, world.day.id]) + f"?q={question.id}"
    page = client_for(world.trainer.user).get(url).content.decode()
    assert "palaute" in page.lower()  # the theme shows
    assert "Kysyn palautetta tiimiltä" not in page  # the quote does not
    with committed():
        _answer(world, world.classmate, question, "Palaute viikoittain")
    page = client_for(world.trainer.user).get(url).content.decode()
    assert "Kysyn palautetta tiimiltä" in page or "Palautetta pyydän perjantaisin" in page


def test_an_unchanged_projector_poll_costs_no_query(world, committed):
    question = live_question_build(world)
    token = signing.dumps([world.cohort.id, world.day.id], salt=PROJECTOR_SALT)
    url = reverse("live_projector_poll", args=[token, question.id])
    projector = client_for(world.trainer.user)  # the trainer's laptop, logged in
    first = projector.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = projector.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and len(queries) == 0
    with committed():
        _answer(world, world.participant, question, "uusi vastaus")
    changed = projector.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["count"] == 1


def test_a_projector_link_for_another_cohort_is_404(world, other_world):
    question = live_question_build(world)
    token = signing.dumps([other_world.cohort.id, other_world.day.id], salt=PROJECTOR_SALT)
    from django.test import Client

    assert (
        Client().get(reverse("live_projector_poll", args=[token, question.id])).status_code == 404
    )


def test_questions_prepared_on_the_page_appear_for_the_trainer(world):
    day = world.day
    day.live_questions = [
        {
            "type": "question",
            "value": {
                "kind": "scale",
                "prompt": "Kuinka valmis olet?",
                "choices": [],
                "scale_max": "10",
                "min_label": "en lainkaan",
                "max_label": "täysin",
                "anonymous": True,
            },
        }
    ]
    day.save_revision().publish()
    assert "Kuinka valmis olet?" in _day_page(world, world.trainer)
    question = LiveQuestion.objects.get(prompt="Kuinka valmis olet?")
    assert question.options["min"] == 0 and question.options["max"] == 10
    _day_page(world, world.trainer)
    assert LiveQuestion.objects.filter(prompt="Kuinka valmis olet?").count() == 1


def test_a_hidden_question_is_gone_for_participants(world):
    question = live_question_build(world, prompt="Piilotettava")
    hide = reverse("live_question_hide", args=[world.cohort.slug, question.id])
    client_for(world.trainer.user).post(hide, {"on": "true"})
    assert "Piilotettava" not in _day_page(world, world.participant)
    assert _answer(world, world.participant, question, "x").status_code == 404
    client_for(world.trainer.user).post(hide, {"on": "false"})
    assert "Piilotettava" in _day_page(world, world.participant)


def test_the_trainer_leaves_a_word_out_of_the_cloud(world, committed):
    question = live_question_build(world, kind="words")
    with committed():
        _answer(world, world.participant, question, "kahvi")
        _answer(world, world.group_mate, question, "kahvi tiimi")
    with committed():
        client_for(world.trainer.user).post(
            reverse("live_word_exclude", args=[world.cohort.slug, question.id]),
            {"word": "kahvi"},
        )
    words = [
        w["word"] for w in question.summary.__class__.objects.get(question=question).data["words"]
    ]
    assert words == ["tiimi"]


def test_the_short_code_takes_a_member_to_the_day(world):
    from programmes.live.services import room_get_or_create

    room = room_get_or_create(cohort=world.cohort, training_day=world.day)
    response = client_for(world.participant.user).get(
        reverse("live_join", args=[room.code.lower()])
    )
    assert response["Location"] == reverse("live_day", args=[world.cohort.slug, world.day.id])
    assert (
        client_for(world.participant.user).get(reverse("live_join", args=["ZZZZZ"])).status_code
        == 404
    )


def test_on_a_training_day_my_path_leads_to_its_live_questions(world):
    from datetime import timedelta

    from django.utils import timezone

    from programmes.models import TrainingDaySchedule

    day = TrainingDaySchedule.objects.filter(cohort=world.cohort).order_by("starts_at")[2]
    # Under way now, whatever the hour the suite runs at (it failed after 23:01 Helsinki).
    start = timezone.now() - timedelta(minutes=1)
    TrainingDaySchedule.objects.filter(id=day.id).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    html = (
        client_for(world.participant.user)
        .get(reverse("cohort_path", args=[world.cohort.slug]))
        .content.decode()
    )
    assert reverse("live_day", args=[world.cohort.slug, day.page_id]) in html


def test_an_answer_that_looks_like_a_formula_stays_text_in_the_csv(world, committed):
    question = live_question_build(world, kind="open", prompt="Kaava?")
    with committed():
        _answer(world, world.participant, question, '=HYPERLINK("http://evil.example","x")')
    body = (
        client_for(world.trainer.user)
        .get(reverse("live_answers_csv", args=[world.cohort.slug, question.id]))
        .content.decode()
    )
    assert "\n=HYPERLINK" not in body and ";=HYPERLINK" not in body
    assert "'=HYPERLINK" in body


def test_the_projector_shows_a_qr_code_of_the_join_link(world):
    from programmes.live.services import room_get_or_create

    live_question_build(world)
    room = room_get_or_create(cohort=world.cohort, training_day=world.day)
    url = reverse("live_projector", args=[world.cohort.slug, world.day.id])
    page = client_for(world.trainer.user).get(url).content.decode()
    header = page[page.index('class="projector-join"') :]
    assert header.index("<svg") < header.index(room.code)  # the code beside its QR
    assert "<path" in header[: header.index("</svg>")]


def test_the_facilitator_opens_a_theme_to_read_every_answer_behind_it(world, committed):
    question = live_question_build(world, kind="open", prompt="Mitä kokeilet?")
    texts = [
        "Kysyn palautetta tiimiltä",
        "Palautetta pyydän perjantaisin",
        "Palaute viikoittain",
        "Palautetta asiakkailta kerran kuussa, ja kirjaan sen ylös",
    ]
    people = [world.participant, world.group_mate, world.classmate]
    people.append(MembershipFactory(cohort=world.cohort))
    with committed():
        for member, text in zip(people, texts, strict=True):
            _answer(world, member, question, text)
    page = (
        client_for(world.trainer.user)
        .get(reverse("live_day", args=[world.cohort.slug, world.day.id]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    details = page[page.index('class="theme-answers"') :]
    details = details[: details.index("</details>")]
    assert "(4)" in details
    for text in texts:  # all four, though the projector quotes only three
        assert text in details


@pytest.mark.parametrize("role", ["participant", "trainer"])
def test_the_days_live_page_costs_the_same_for_one_question_or_many(world, committed, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(getattr(world, role).user)
    url = reverse("live_day", args=[world.cohort.slug, world.day.id])

    def ask(kind, prompt):
        question = live_question_build(world, kind=kind, prompt=prompt)
        with committed():
            _answer(world, world.participant, question, "Kuuntelen ja kysyn")
            _answer(world, world.group_mate, question, "Kysyn ja kuuntelen")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    ask("open", "Mitä kokeilet?")
    one = queries()
    ask("open", "Entä huomenna?")
    ask("words", "Yksi sana?")
    assert queries() == one


def test_opening_the_facilitator_page_again_writes_nothing(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.trainer.user)
    url = reverse("live_day", args=[world.cohort.slug, world.day.id])
    client.get(url)  # makes the day's prepared questions
    assert LiveQuestion.objects.filter(cohort=world.cohort).exclude(block_id="").exists()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert [w for w in writes if "live_" in w] == []


def test_a_phone_learns_the_room_changed_and_an_unchanged_poll_costs_no_query(
    world, committed, django_assert_num_queries
):
    from programmes.live.views import ROOM_SALT

    token = signing.dumps([world.cohort.id, world.day.id], salt=ROOM_SALT)
    url, phone = reverse("live_room_poll", args=[token]), client_for(None)
    etag = phone.get(url)["ETag"]
    with django_assert_num_queries(0):
        assert phone.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with committed():
        question = live_question_build(world, prompt="Uusi kysymys?")  # opened by the trainer
    changed = phone.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    with committed():
        services.question_close(question=question)
    assert phone.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200
    forged = reverse("live_room_poll", args=[token[:-2] + "xx"])
    assert phone.get(forged).status_code == 404


def test_a_logged_out_phone_with_a_join_code_is_told_what_it_joins(world):
    room = services.room_get_or_create(cohort=world.cohort, training_day=world.day)
    response = client_for(None).get(reverse("live_join", args=[room.code]), follow=True)
    html = response.content.decode()
    assert world.day.title in html and world.cohort.name in html
