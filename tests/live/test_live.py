"""Live questions: open/close rules, one answer per person, summaries and their builds."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programmes.live import services
from programmes.live.models import LiveAnswer, LiveQuestion, LiveSummary
from programmes.live.summaries import themes_summary, word_summary
from programmes.live.tasks import summary_build
from progress.rollups import cohort_reconcile
from tests.factories import MembershipFactory


@pytest.fixture
def question(world):
    return services.question_create(
        cohort=world.cohort,
        training_day=world.day,
        kind=LiveQuestion.Kind.SCALE,
        prompt="Kuinka hyödyllinen aamupäivä oli?",
        options={"min": 1, "max": 5},
        user=world.trainer.user,
    )


def _open(question):
    services.question_open(question=question)
    question.refresh_from_db()
    return question


def test_an_answer_counts_only_while_the_question_is_open(world, question):
    with pytest.raises(services.QuestionClosed):
        services.answer_submit(question=question, user=world.participant.user, raw="4")
    _open(question)
    services.answer_submit(question=question, user=world.participant.user, raw="4")
    services.question_close(question=question)
    with pytest.raises(services.QuestionClosed):
        services.answer_submit(question=question, user=world.group_mate.user, raw="5")
    assert LiveAnswer.objects.count() == 1  # nothing half-saved
    question.refresh_from_db()
    assert question.answer_seq == 1


def test_each_person_counts_once_and_may_change_their_answer(world, question):
    _open(question)
    first = services.answer_submit(question=question, user=world.participant.user, raw="2")
    changed = services.answer_submit(question=question, user=world.participant.user, raw="5")
    assert LiveAnswer.objects.count() == 1
    assert changed.value == 5 and changed.seq > first.seq


@pytest.mark.parametrize(
    "kind,options,raw",
    [
        ("scale", {"min": 1, "max": 5}, "9"),
        ("single", {"choices": ["A", "B"]}, "C"),
        ("multiple", {"choices": ["A", "B"]}, []),
        ("words", {}, "liian monta sanaa tässä"),
        ("open", {}, "   "),
    ],
)
def test_a_wrong_answer_is_refused_with_a_reason_and_not_stored(world, kind, options, raw):
    question = _open(
        services.question_create(
            cohort=world.cohort, training_day=world.day, kind=kind, prompt="?", options=options
        )
    )
    with pytest.raises(ValidationError):
        services.answer_submit(question=question, user=world.participant.user, raw=raw)
    assert not LiveAnswer.objects.exists()


def test_finnish_word_forms_count_as_one_word():
    summary = word_summary(["valmentaja", "valmentajan tuki", "valmentajat", "tuki"], "fi")
    top = summary["words"][0]
    assert top["count"] == 3 and top["word"] == "valmentaja"
    assert {"word": "tuki", "lemma": top["lemma"], "count": 2} not in summary["words"]
    assert any(w["word"] == "tuki" and w["count"] == 2 for w in summary["words"])


def test_stop_words_and_the_trainers_excluded_words_are_left_out():
    summary = word_summary(
        ["ja palaute", "palautteen ja kuuntelu", "kuuntelu"], "fi", excluded=["kuuntelu"]
    )
    assert [w["word"] for w in summary["words"]] == ["palaute"]


def test_themes_link_to_the_answers_behind_them():
    answers = [
        (1, "Kysyn tiimiltä palautetta viikoittain"),
        (2, "Palaute tiimiltä joka perjantai"),
        (3, "Aamukahvi onnistumisista"),
        (4, "Aamukahvilla kerromme onnistumisia ja palautetta"),
    ]
    themes = {t["keyword"]: t for t in themes_summary(answers, "fi")["themes"]}
    feedback = next(t for t in themes.values() if t["lemma"] == "palaute")
    assert feedback["answers"] == [1, 2, 4]
    assert 2 <= len(feedback["quotes"]) <= 3
    assert all(any(q == text for _id, text in answers) for q in feedback["quotes"])


def test_a_build_summarises_a_scale(world, question):
    _open(question)
    for membership, value in [(world.participant, 2), (world.group_mate, 4), (world.classmate, 5)]:
        services.answer_submit(question=question, user=membership.user, raw=str(value))
    summary_build(question.id)
    data = LiveSummary.objects.get(question=question).data
    assert data["count"] == 3 and data["median"] == 4 and data["mean"] == pytest.approx(3.67)
    assert data["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}


def test_an_older_build_never_overwrites_a_newer_summary(world, question):
    _open(question)
    services.answer_submit(question=question, user=world.participant.user, raw="3")
    summary_build(question.id)
    summary = LiveSummary.objects.get(question=question)
    LiveSummary.objects.filter(id=summary.id).update(through_seq=999, data={"newer": True})
    summary_build(question.id)  # sees answers only up to seq 1
    summary.refresh_from_db()
    assert summary.data == {"newer": True} and summary.through_seq == 999
    assert summary.version == 1  # the older build stored nothing


def test_a_build_that_finds_another_running_queues_itself_again_instead_of_dropping(
    world, question
):
    LiveQuestion.objects.filter(id=question.id).update(building_since=timezone.now())
    with mock.patch.object(summary_build, "apply_async") as again:
        summary_build(question.id)
    again.assert_called_once()
    assert not LiveSummary.objects.filter(question=question).exists()  # nothing built


def test_a_burst_of_answers_asks_for_one_build_until_it_starts(
    world, question, django_capture_on_commit_callbacks
):
    _open(question)
    people = [MembershipFactory(cohort=world.cohort).user for _ in range(20)]
    cohort_reconcile(world.cohort.id)  # their progress figures, as after a night
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for person in people:
            services.answer_submit(question=question, user=person, raw="4")
    tasks = [getattr(c, "task", "") for c in callbacks]
    builds = [t for t in tasks if t.endswith("summary_build")]
    refreshes = [t for t in tasks if t.endswith("progress_refresh")]
    assert len(builds) == 1  # one build asked for, not twenty
    assert len(refreshes) == 1  # and one refresh of the answerers' progress
