"""Reads of live feedback for the pages: each question as a card with what its page shows,
in a fixed number of queries per page."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polku.caching import cache_get, cache_set, cached
from polku.panels import Panel
from polku.people.models import Membership
from polku.people.versions import MEMBERSHIPS, STRUCTURE
from programmes.models import AssignmentPage

from .models import LiveAnswer, LiveQuestion, LiveSummary, PublishedDay
from .versions import commitments_version, questions_version

TEXT_KINDS = (LiveQuestion.Kind.OPEN, LiveQuestion.Kind.COMMITMENT)
ANSWERS_SHOWN_FROM = 3  # fewer: no quotes on the screen, nothing of the question published
ROOM_CACHE_SECONDS = 300  # services delete it on every change; this bounds a missed delete


def room_cache_key(cohort_id: int, day_id: int) -> str:
    return f"live:room:v1:{cohort_id}:{day_id}"


def room_version(cohort_id: int, day_id: int) -> str:
    """What the participants' phones compare to know whether the room changed: which questions
    there are, their state and visibility, and a closed question's summary (the final one).
    An open question's summary, rebuilt every second while answers arrive, is left out: 300
    phones would reload the page each time. From the cache, so an unchanged poll costs no
    query; one query when it is not there."""
    key = room_cache_key(cohort_id, day_id)
    version = cache_get(key)
    if version is None:
        rows = sorted(
            (id_, state, hidden, summary if state == LiveQuestion.State.CLOSED else None)
            for id_, state, hidden, summary in LiveQuestion.objects.filter(
                cohort_id=cohort_id, training_day_id=day_id
            ).values_list("id", "state", "hidden", "summary__version")
        )
        version = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
        cache_set(key, version, timeout=ROOM_CACHE_SECONDS)
    return version


def participant_count(cohort_id: int) -> int:
    """Who the room waits for: kept until anyone's memberships change (or someone joins)."""
    return cached(
        f"live:participants:{cohort_id}",
        lambda: Membership.objects.joined_participants().filter(cohort_id=cohort_id).count(),
        versions=[MEMBERSHIPS],
    )


def _summary_of(question: LiveQuestion) -> LiveSummary | None:
    """The question's summary: fetched with the question when the caller asked for it
    (select_related), else read now."""
    try:
        return question.summary
    except LiveSummary.DoesNotExist:
        return None


def summary_payload(question: LiveQuestion, participants: int) -> dict:
    """What the projector and the day page show of a question: its summary as HTML, with the
    anonymity rules applied. Cached until the next build or state change."""
    summary = _summary_of(question)
    data = summary.data if summary else {}
    count = data.get("count", 0)
    # The same for everyone who sees it, and every build stores a new version: rendered once
    # per version and language, not for every phone that answered.
    key = f"live:summary-html:{question.id}:{question.kind}:{summary.version if summary else 0}"
    key += f":{get_language()}"
    html = cache_get(key)
    if html is None:
        html = render_to_string(
            "live/includes/summary.html",
            {"question": question, "data": data, "show_quotes": count >= ANSWERS_SHOWN_FROM},
        )
        cache_set(key, html, timeout=ROOM_CACHE_SECONDS)
    return {
        "version": summary.version if summary else 0,
        "state": question.state,
        "closed": question.state == LiveQuestion.State.CLOSED,
        "prompt": question.prompt,
        "count": count,
        "waiting": max(participants - count, 0),
        "html": html,
        "cohort_id": question.cohort_id,
        "day_id": question.training_day_id,
    }


def theme_answers(question: LiveQuestion) -> list[dict]:
    """For the facilitator: each theme of an open question with every answer behind it (the
    summary stores the answers' ids; the projector shows only a few quotes), which are
    pinned, and the themes merged into it. Reads the answers the caller prefetched."""
    summary = _summary_of(question)
    if question.kind not in TEXT_KINDS or summary is None or not summary.data.get("themes"):
        return []
    texts = {answer.id: answer.value for answer in question.answers.all()}
    return [
        {
            "keyword": theme["keyword"],
            "lemma": theme["lemma"],
            "merged": theme.get("merged", []),
            "answers": [
                {"id": i, "text": texts[i], "pinned": i in theme.get("pinned", [])}
                for i in theme["answers"]
                if i in texts
            ],
        }
        for theme in summary.data["themes"]
        if "lemma" in theme  # a summary built before lemmas has nothing to shape
    ]


def hidden_answers(question: LiveQuestion) -> list[dict]:
    """The answers the trainer hid (kept, not summarised), to show again."""
    hidden = set(question.options.get("curation", {}).get("hidden", []))
    if question.kind not in TEXT_KINDS or not hidden:
        return []
    return [{"id": a.id, "text": a.value} for a in question.answers.all() if a.id in hidden]


@dataclass(frozen=True)
class QuestionCard:
    """A question as one page shows it."""

    question: LiveQuestion
    payload: dict | None = None  # its summary, when this person may see it
    answer_count: int = 0
    themes: list = field(default_factory=list)  # facilitators: the answers behind each theme
    hidden: list = field(default_factory=list)  # facilitators: the answers they hid
    named: list = field(default_factory=list)  # facilitators: who answered what, if not anonymous
    my_answer: object = None  # participants: their own answer
    my_commitment: str | None = None  # participants: what they committed to, if followed up

    @property
    def scale_values(self):
        options = self.question.options
        return range(options.get("min", 1), options.get("max", 5) + 1)


def facilitator_cards(*, cohort, training_day) -> list[QuestionCard]:
    """Every question of the day with its summary, the answers behind its themes and, for a
    named question, who answered what: one query for the answers of the whole day."""
    listed = LiveAnswer.objects.filter(
        Q(question__anonymous=False) | Q(question__kind__in=TEXT_KINDS)
    ).select_related("user")
    questions = (
        LiveQuestion.objects.filter(cohort=cohort, training_day=training_day)
        .select_related("summary")
        .annotate(answer_count=Count("answers"))
        .prefetch_related(Prefetch("answers", queryset=listed.order_by("user__first_name", "id")))
    )
    participants = participant_count(cohort.id)
    return [
        QuestionCard(
            question=question,
            payload=summary_payload(question, participants),
            answer_count=question.answer_count,
            themes=theme_answers(question),
            hidden=hidden_answers(question),
            named=[] if question.anonymous else list(question.answers.all()),
        )
        for question in questions
    ]


def participant_cards(*, cohort, training_day, user, question_id=None) -> list[QuestionCard]:
    """The questions opened for the cohort (or just the one asked for), with the person's own
    answer; the room's summary once they have answered (so it does not lead their answer) or
    the question has closed."""
    questions = LiveQuestion.objects.filter(cohort=cohort, training_day=training_day, hidden=False)
    if question_id is not None:
        questions = questions.filter(id=question_id)
    questions = list(questions.exclude(state=LiveQuestion.State.READY).select_related("summary"))
    # A question that follows up a commitment shows the person's own commitment above it.
    committed = [q.options["commitment_of"] for q in questions if q.options.get("commitment_of")]
    mine = dict(
        LiveAnswer.objects.filter(
            Q(question__in=questions) | Q(question_id__in=committed), user=user
        ).values_list("question_id", "value")
    )
    participants = participant_count(cohort.id)
    return [
        QuestionCard(
            question=question,
            my_answer=mine.get(question.id),
            my_commitment=mine.get(question.options.get("commitment_of")),
            payload=summary_payload(question, participants)
            if question.id in mine or question.is_closed
            else None,
        )
        for question in questions
    ]


def closed_cards(*, cohort, training_day, with_hidden: bool) -> list[QuestionCard]:
    """The day's closed questions with their summaries: the printable page."""
    questions = LiveQuestion.objects.filter(
        cohort=cohort, training_day=training_day, state=LiveQuestion.State.CLOSED
    )
    if not with_hidden:
        questions = questions.filter(hidden=False)
    participants = participant_count(cohort.id)
    return [
        QuestionCard(question=question, payload=summary_payload(question, participants))
        for question in questions.select_related("summary")
    ]


def answers_table(question: LiveQuestion) -> tuple[list[str], object]:
    """The question's answers as a table (header, rows). An anonymous question's answers carry
    no name, no time and no order of arrival: in a small room, times in order would tell who
    wrote what. They are sorted by their text."""

    def text(answer) -> str:
        return ", ".join(answer.value) if isinstance(answer.value, list) else str(answer.value)

    if question.anonymous:
        values = sorted(text(a) for a in question.answers.only("value"))
        return [_("Answer")], ([value] for value in values)

    def rows():
        for answer in question.answers.select_related("user").order_by("updated_at"):
            name = answer.user.get_full_name() or answer.user.email
            yield [answer.updated_at.isoformat(timespec="seconds"), text(answer), name]

    return [_("Time"), _("Answer"), _("Name")], rows()


@dataclass(frozen=True)
class DaySummaryLink:
    training_day_id: int
    title: str
    corrected: bool


def published_days_version(cohort_id: int) -> str:
    return f"live:published:{cohort_id}"


def published_days(*, cohort) -> list[DaySummaryLink]:
    """The cohort's published day summaries in the path's order: for the path and the
    workspaces, from the cache (kept until a publish bumps the version), so those pages keep
    their query counts."""
    return cached(
        f"live:published:{cohort.id}",
        lambda: [
            DaySummaryLink(day_id, title, corrected is not None)
            for day_id, title, corrected in PublishedDay.objects.filter(
                cohort=cohort, published_at__isnull=False
            )
            .order_by("training_day__path")
            .values_list("training_day_id", "training_day__title", "corrected_at")
        ],
        versions=[published_days_version(cohort.id), STRUCTURE],
    )


@dataclass(frozen=True)
class Commitment:
    day_title: str
    text: str
    answer_id: int = 0


def my_commitments(*, membership, **question) -> list[Commitment]:
    """The participant's own commitments, of the commitment questions that match `question`
    (training_day_id, or follow_up_id: the assignment they come back in). All of the
    person's commitments in the cohort are kept until they answer again or a question
    changes (versions.py): the path and every assignment page ask."""
    rows = cached(
        f"commitments:{membership.cohort_id}:{membership.user_id}",
        lambda: list(
            LiveAnswer.objects.filter(
                user_id=membership.user_id,
                question__cohort_id=membership.cohort_id,
                question__kind=LiveQuestion.Kind.COMMITMENT,
            )
            .order_by("question__training_day__path", "question_id")
            .values(
                "question__training_day__title",
                "value",
                "id",
                "question__training_day_id",
                "question__follow_up_id",
            )
        ),
        versions=[
            commitments_version(membership.user_id),
            questions_version(membership.cohort_id),
            STRUCTURE,
        ],
    )
    return [
        Commitment(row["question__training_day__title"], row["value"], row["id"])
        for row in rows
        if all(row[f"question__{name}"] == value for name, value in question.items())
    ]


def commitment_panel(*, membership, page):
    """polku.panels ASSIGNMENT: "On day 2 you committed to: … — how did it go?" """
    if not membership.is_participant:
        return None
    found = my_commitments(membership=membership, follow_up_id=page.id)
    if not found:
        return None
    return Panel("live/includes/commitment_panel.html", {"commitments": found})


def assignments_of(programme) -> list:
    """The path's assignments (id and title), for bringing a commitment back in one."""
    return list(AssignmentPage.objects.live().child_of(programme).only("id", "title", "path"))


def earlier_commitments(*, cohort, day) -> list[LiveQuestion]:
    """The cohort's commitment questions of other training days, closed: a later day can
    ask how they went."""
    return list(
        LiveQuestion.objects.filter(
            cohort=cohort, kind=LiveQuestion.Kind.COMMITMENT, state=LiveQuestion.State.CLOSED
        )
        .exclude(training_day=day)
        .select_related("training_day")
        .only("id", "prompt", "training_day__title")
    )


def cohort_commitments(*, cohort) -> list[dict]:
    """For trainers: every commitment of the cohort, by training day, grouped by the themes
    of its question (with the author's name unless the question was anonymous), and those in
    no theme. Two queries."""
    questions = (
        LiveQuestion.objects.filter(cohort=cohort, kind=LiveQuestion.Kind.COMMITMENT)
        .select_related("summary", "training_day")
        .prefetch_related(
            Prefetch("answers", queryset=LiveAnswer.objects.select_related("user").order_by("id"))
        )
        .order_by("training_day__path", "id")
    )
    out = []
    for question in questions:
        answers = {answer.id: answer for answer in question.answers.all()}
        summary = _summary_of(question)
        themes = summary.data.get("themes", []) if summary else []
        in_themes = {i for theme in themes for i in theme["answers"]}
        out.append(
            {
                "question": question,
                "themes": [
                    {
                        "keyword": t["keyword"],
                        "answers": [answers[i] for i in t["answers"] if i in answers],
                    }
                    for t in themes
                ],
                "others": [a for i, a in answers.items() if i not in in_themes],
            }
        )
    return out
