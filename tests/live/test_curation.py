"""The trainer shapes the summary of open answers during the day: merges and renames themes,
hides an answer (kept, not shown), pins a quote. The projector follows at its next poll; every
theme keeps the ids of the answers behind it."""

from django.core import signing
from django.urls import reverse

from programmes.live.models import LiveAnswer, LiveSummary
from programmes.live.summaries import curated, themes_summary
from programmes.live.views import PROJECTOR_SALT
from tests.conftest import client_for, live_question_build
from tests.factories import MembershipFactory

ANSWERS = [
    "Avoin keskustelu aamukahvilla",
    "avoimet keskustelut tiimin kanssa",
    "Aamukahvi perjantaisin koko tiimin kanssa",
    "Palautetta tiimiltä joka viikko",
    "Kysyn palautetta aamukahvilla",
]


def test_merging_renaming_and_pinning_keep_every_theme_linked_to_its_answers():
    texts = dict(enumerate(ANSWERS, start=1))
    data = themes_summary(list(texts.items()), "fi")
    lemmas = {t["lemma"] for t in data["themes"]}
    assert {"aamukahvi", "palaute", "tiimi"} <= lemmas
    shaped = curated(
        data,
        {"merged": {"palaute": "tiimi"}, "names": {"tiimi": "Tiimi ja palaute"}, "pinned": [4]},
        texts,
    )
    themes = {t["lemma"]: t for t in shaped["themes"]}
    assert "palaute" not in themes
    team = themes["tiimi"]
    assert team["keyword"] == "Tiimi ja palaute" and team["merged"] == ["palaute"]
    assert team["answers"] == [2, 3, 4, 5] and team["quotes"][0] == texts[4]


def _projector(client, world, question):
    token = signing.dumps([world.cohort.id, world.day.id], salt=PROJECTOR_SALT)
    return client.get(reverse("live_projector_poll", args=[token, question.id])).json()


def test_the_projector_follows_the_trainers_hand(world, committed):
    question = live_question_build(world, kind="open", prompt="Mikä auttaa tiimiä?")
    people = [world.participant, world.group_mate, world.classmate]
    people += [MembershipFactory(cohort=world.cohort) for _n in range(2)]
    with committed():
        for membership, text in zip(people, ANSWERS, strict=False):
            client_for(membership.user).post(
                reverse("live_answer", args=[world.cohort.slug, question.id]), {"value": text}
            )
    projector = client_for(None)
    before = _projector(projector, world, question)
    assert "aamukahvi" in before["html"].lower()
    trainer = client_for(world.trainer.user)
    curate = reverse("live_curate", args=[world.cohort.slug, question.id])
    hidden = LiveAnswer.objects.get(value=ANSWERS[3])
    with committed():
        trainer.post(curate, {"action": "rename", "theme": "aamukahvi", "name": "Yhteiset aamut"})
        trainer.post(curate, {"action": "hide", "answer": hidden.id})
    after = _projector(projector, world, question)
    assert after["version"] > before["version"]
    assert "Yhteiset aamut" in after["html"]
    assert ANSWERS[3] not in after["html"] and "<h3>palaute" not in after["html"].lower()
    assert LiveAnswer.objects.filter(id=hidden.id).exists()  # kept, only not shown
    page = trainer.get(reverse("live_day", args=[world.cohort.slug, world.day.id])).content
    assert ANSWERS[3] in page.decode()  # the trainer can show it again
    with committed():
        trainer.post(curate, {"action": "show", "answer": hidden.id})
    themes = LiveSummary.objects.get(question=question).data["themes"]
    assert any(t["lemma"] == "palaute" for t in themes)


def test_bad_curation_gets_a_message_and_participants_cannot_curate(world, other_world):
    question = live_question_build(world, kind="open")
    theirs = live_question_build(other_world, kind="open")
    answer = LiveAnswer.objects.create(
        question=theirs, user=other_world.participant.user, value="Muualta", seq=1
    )
    trainer = client_for(world.trainer.user)
    curate = reverse("live_curate", args=[world.cohort.slug, question.id])
    page = trainer.post(
        curate, {"action": "pin", "answer": answer.id}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200 and "not one of this question" in page.content.decode()
    merged = trainer.post(
        curate, {"action": "merge", "theme": "tiimi"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Choose another theme to merge into" in merged.content.decode()
    participant = client_for(world.participant.user)
    assert (
        participant.post(curate, {"action": "rename", "theme": "x", "name": "y"}).status_code == 404
    )
    question.refresh_from_db()
    assert "curation" not in question.options
