"""Writes of live feedback. An answer is stored whole or not at all, and only while its
question is open."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku import events
from polku.caching import cache_delete, version_bump
from polku.coalescing import Coalescing, enqueue_after_commit
from polku.pdf import Document
from programmes.models import AssignmentPage, TrainingDaySchedule

from .models import LiveAnswer, LiveQuestion, LiveRoom, LiveSummary, PublishedDay
from .selectors import ANSWERS_SHOWN_FROM, published_days_version, room_cache_key
from .summaries import choice_summary, curated, scale_summary, themes_summary, word_summary
from .versions import questions_version

OPEN_MAX = 1000
WORD_MAX = 30


class QuestionClosed(Exception):
    pass


# Summary builds, one per question at a time (see polku.coalescing): answers within a second
# share one build. A build takes well under a second, so one running for 10 s died with its
# worker, and a wish 5 s old with no build running was lost (the sweep asks again).
BUILDS = Coalescing(
    LiveQuestion,
    wanted="build_wanted_at",
    since="building_since",
    task="programmes.live.tasks.summary_build",
    countdown=1.0,
    stale_after=timedelta(seconds=10),
    lost_after=timedelta(seconds=5),
)


def question_create(
    *, cohort, training_day, kind: str, prompt: str, options=None, anonymous: bool = True, user=None
) -> LiveQuestion:
    question = LiveQuestion(
        cohort=cohort,
        training_day=training_day,
        kind=kind,
        prompt=prompt,
        options=options or {},
        anonymous=anonymous,
        created_by=user,
    )
    question.full_clean(exclude=["created_by"])
    question.save()
    room_changed(question)
    return question


def question_open(*, question: LiveQuestion) -> None:
    was_closed = question.state == LiveQuestion.State.CLOSED
    LiveQuestion.objects.filter(id=question.id).update(
        state=LiveQuestion.State.OPEN, opened_at=timezone.now(), closed_at=None
    )
    summary_cache_clear(question.id)
    room_changed(question)
    if was_closed:
        answerers_changed(question)


def question_close(*, question: LiveQuestion) -> None:
    """Closes a question; the final summary is built after commit and includes every answer."""
    LiveQuestion.objects.filter(id=question.id).update(
        state=LiveQuestion.State.CLOSED, closed_at=timezone.now()
    )
    summary_cache_clear(question.id)
    room_changed(question)
    answerers_changed(question)
    BUILDS.request(question.id)


def answerers_changed(question: LiveQuestion) -> None:
    """Answers count in progress once their question is closed (and stop if it reopens)."""
    events.USERS_CHANGED.announce(
        cohort_id=question.cohort_id, user_ids=question.answers.values_list("user_id", flat=True)
    )


def answer_value_clean(question: LiveQuestion, raw) -> object:
    """The answer as stored, or ValidationError with a message for the person."""
    kind, options = question.kind, question.options
    if kind == LiveQuestion.Kind.SCALE:
        low, high = options.get("min", 1), options.get("max", 5)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not low <= value <= high:
            raise ValidationError(
                _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return value
    if kind == LiveQuestion.Kind.SINGLE:
        if raw not in options.get("choices", []):
            raise ValidationError(_("Choose one of the choices."))
        return raw
    if kind == LiveQuestion.Kind.MULTIPLE:
        chosen = [c for c in options.get("choices", []) if c in (raw or [])]
        if not chosen:
            raise ValidationError(_("Choose at least one."))
        return chosen
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(_("Write your answer first."))
    if kind == LiveQuestion.Kind.WORDS:
        words = text.split(" ")
        if len(words) > 3 or any(len(w) > WORD_MAX for w in words):
            raise ValidationError(_("One to three words, please."))
        return text
    if len(text) > OPEN_MAX:
        message = ngettext("At most %(n)s character.", "At most %(n)s characters.", OPEN_MAX)
        raise ValidationError(message % {"n": OPEN_MAX})
    return text


@transaction.atomic
def answer_submit(*, question: LiveQuestion, user, raw) -> LiveAnswer:
    """Stores or changes the person's answer while the question is open. Raises QuestionClosed
    when it is not, and ValidationError for a wrong value; either way nothing is stored."""
    value = answer_value_clean(question, raw)
    # The question row is the gate: take the next sequence number only if it is still open.
    if not LiveQuestion.objects.filter(id=question.id, state=LiveQuestion.State.OPEN).update(
        answer_seq=F("answer_seq") + 1
    ):
        raise QuestionClosed
    seq = LiveQuestion.objects.values_list("answer_seq", flat=True).get(id=question.id)
    now = timezone.now()
    answer, _created = LiveAnswer.objects.update_or_create(
        question=question,
        user=user,
        defaults={"value": value, "seq": seq, "updated_at": now},
    )
    summary_request(question_id=question.id)
    events.USER_ACTIVE.announce(cohort_id=question.cohort_id, user_id=user.id)
    return answer


def summary_request(*, question_id: int) -> None:
    """Asks for a summary build after commit, unless one is already wanted: a burst of answers
    makes about one build a second, never one per answer (see tasks.summary_build)."""
    BUILDS.request(question_id)


def summary_data(question: LiveQuestion, answers) -> dict:
    """A question's summary of its answers, by its kind."""
    kind, options = question.kind, question.options
    language = question.cohort.language
    values = [a.value for a in answers]
    if kind == LiveQuestion.Kind.SCALE:
        return scale_summary(values, options.get("min", 1), options.get("max", 5))
    if kind in (LiveQuestion.Kind.SINGLE, LiveQuestion.Kind.MULTIPLE):
        return choice_summary(values, options.get("choices", []))
    excluded = options.get("excluded", [])
    curation = options.get("curation", {})
    hidden = set(curation.get("hidden", []))
    shown = [a for a in answers if a.id not in hidden]  # hidden: kept, not summarised
    if kind == LiveQuestion.Kind.WORDS:
        return word_summary([a.value for a in shown], language, excluded)
    texts = {a.id: a.value for a in shown}
    data = curated(themes_summary(list(texts.items()), language, excluded), curation, texts)
    if kind == LiveQuestion.Kind.COMMITMENT:
        # A commitment is its author's and their trainers' (who read every answer of a theme
        # on the facilitator's page): the summary keeps its themes and counts, no one's words.
        data["themes"] = [{**theme, "quotes": []} for theme in data["themes"]]
    return data


def summary_store(*, question_id: int, force: bool = False) -> bool:
    """Summarises the question's answers and stores the summary if it includes newer answers
    than the stored one (`through_seq`), so a slow, older build never overwrites a newer
    summary; `force` stores an equally new one (the trainer left a word out). Returns whether
    it stored."""
    question = LiveQuestion.objects.select_related("cohort").get(id=question_id)
    answers = list(question.answers.order_by("seq"))
    through = max((a.seq for a in answers), default=0)
    data = summary_data(question, answers)
    summary, _created = LiveSummary.objects.get_or_create(question=question)
    newer = Q(through_seq__lt=through) | Q(version=0)
    if force:
        newer |= Q(through_seq__lte=through)
    stored = (
        LiveSummary.objects.filter(id=summary.id)
        .filter(newer)
        .update(data=data, through_seq=through, version=F("version") + 1, built_at=timezone.now())
    )
    if stored:
        cache_delete(summary_cache_key(question_id))  # the next projector poll reads it
        if question.is_closed:
            room_changed(question)  # the final summary: the phones show it
    return bool(stored)


CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread


def room_get_or_create(*, cohort, training_day) -> LiveRoom:
    room = LiveRoom.objects.filter(cohort=cohort, training_day=training_day).first()
    while room is None:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
        try:
            with transaction.atomic():
                room = LiveRoom.objects.create(cohort=cohort, training_day=training_day, code=code)
        except IntegrityError:  # the code was taken (or the room made meanwhile): again
            room = LiveRoom.objects.filter(cohort=cohort, training_day=training_day).first()
    return room


def prepared_questions_sync(*, cohort, training_day) -> None:
    """Makes the cohort's questions from those prepared on the page; a question not yet opened
    follows later edits of the page. Runs on every facilitator page: one read, and writes only
    what the page changed."""
    existing = {
        q.block_id: q
        for q in LiveQuestion.objects.filter(cohort=cohort, training_day=training_day).exclude(
            block_id=""
        )
    }
    for block in training_day.live_questions:
        value = block.value
        kind = value["kind"]
        options = {}
        if kind == LiveQuestion.Kind.SCALE:
            high = int(value.get("scale_max") or 5)
            options = {
                "min": 0 if high == 10 else 1,
                "max": high,
                "min_label": value["min_label"],
                "max_label": value["max_label"],
            }
        elif kind in (LiveQuestion.Kind.SINGLE, LiveQuestion.Kind.MULTIPLE):
            options = {"choices": list(value["choices"])}
        fields = {
            "kind": kind,
            "prompt": value["prompt"],
            "options": options,
            "anonymous": bool(value["anonymous"]),
        }
        question = existing.get(block.id)
        if question is None:
            LiveQuestion.objects.get_or_create(  # two trainers opening the page at once
                cohort=cohort, training_day=training_day, block_id=block.id, defaults=fields
            )
        elif question.state == LiveQuestion.State.READY and any(
            getattr(question, name) != value for name, value in fields.items()
        ):
            LiveQuestion.objects.filter(id=question.id).update(**fields)


def question_hide(*, question: LiveQuestion, hidden: bool) -> None:
    LiveQuestion.objects.filter(id=question.id).update(hidden=hidden)
    summary_cache_clear(question.id)
    room_changed(question)


def word_exclude(*, question: LiveQuestion, word: str) -> None:
    """The trainer takes a word out of the word cloud or themes; the summary is rebuilt."""
    word = word.strip().lower()[:WORD_MAX]
    if word and word not in question.options.get("excluded", []):
        question.options = {
            **question.options,
            "excluded": [*question.options.get("excluded", []), word],
        }
        question.save(update_fields=["options"])
        enqueue_after_commit(BUILDS.task, [question.id, True])


CURATION_ACTIONS = ("merge", "separate", "rename", "hide", "show", "pin", "unpin")


def curation_set(
    *,
    question: LiveQuestion,
    action: str,
    theme: str = "",
    into: str = "",
    name: str = "",
    answer_id: int | None = None,
) -> None:
    """The trainer shapes the summary of open answers during the day: merges a theme into
    another (or separates it again), renames one, hides an answer (kept, not shown) or pins
    one as a theme's first quote. The summary is rebuilt at once; the projector and the
    phones follow at their next poll."""
    if question.kind not in (LiveQuestion.Kind.OPEN, LiveQuestion.Kind.COMMITMENT):
        raise ValidationError(_("Only open answers have themes to shape."))
    if action not in CURATION_ACTIONS:
        raise ValidationError(_("Unknown action."))
    curation = {
        "merged": {},
        "names": {},
        "hidden": [],
        "pinned": [],
        **question.options.get("curation", {}),
    }
    theme, into, name = theme.strip()[:100], into.strip()[:100], name.strip()[:60]
    if action in ("hide", "show", "pin", "unpin"):
        if answer_id is None or not question.answers.filter(id=answer_id).exists():
            raise ValidationError(_("That answer is not one of this question's."))
        listed = "hidden" if action in ("hide", "show") else "pinned"
        others = [a for a in curation[listed] if a != answer_id]
        curation[listed] = others + ([answer_id] if action in ("hide", "pin") else [])
    elif not theme:
        raise ValidationError(_("Choose a theme."))
    elif action == "merge":
        if not into or into == theme:
            raise ValidationError(_("Choose another theme to merge into."))
        curation["merged"] = {**curation["merged"], theme: into}
    elif action == "separate":
        curation["merged"] = {k: v for k, v in curation["merged"].items() if k != theme}
    else:  # rename; an empty name gives the theme back its own word
        names = {k: v for k, v in curation["names"].items() if k != theme}
        curation["names"] = names | ({theme: name} if name else {})
    question.options = {**question.options, "curation": curation}
    question.save(update_fields=["options"])
    summary_cache_clear(question.id)
    enqueue_after_commit(BUILDS.task, [question.id, True])


def summary_cache_key(question_id: int) -> str:
    return f"live:summary:v2:{question_id}"  # v2: the payload says "closed"


def summary_cache_clear(question_id: int) -> None:
    transaction.on_commit(lambda: cache_delete(summary_cache_key(question_id)))


def room_changed(question: LiveQuestion) -> None:
    """The room's phones see the change at their next poll (selectors.room_version)."""
    key = room_cache_key(question.cohort_id, question.training_day_id)
    transaction.on_commit(lambda: cache_delete(key))


def day_questions(*, cohort, training_day) -> list[dict]:
    """The day's closed, shown questions as the room saw them (the trainer's shaping
    applied): prompt, kind, count and summary each. A question with fewer answers than
    ANSWERS_SHOWN_FROM is listed with its count only: nothing of so few answers is shown."""
    questions = (
        LiveQuestion.objects.filter(
            cohort=cohort, training_day=training_day, state=LiveQuestion.State.CLOSED, hidden=False
        )
        .select_related("summary")
        .order_by("opened_at", "id")
    )
    out = []
    for question in questions:
        data = question.summary.data if hasattr(question, "summary") else {}
        count = data.get("count", 0)
        out.append(
            {
                "prompt": question.prompt,
                "kind": question.kind,
                "count": count,
                "data": data if count >= ANSWERS_SHOWN_FROM else {},
            }
        )
    return out


@transaction.atomic
def day_publish(*, cohort, training_day, by, note: str = "", correction: str = "") -> PublishedDay:
    """Publishes the day's summary to the cohort, or publishes it again as a correction (the
    cohort sees that it was corrected, when, and what was corrected if the trainer says)."""
    questions = day_questions(cohort=cohort, training_day=training_day)
    if not questions:
        raise ValidationError(_("Close at least one question before publishing the day."))
    published, _created = PublishedDay.objects.select_for_update().get_or_create(
        cohort=cohort, training_day=training_day
    )
    now = timezone.now()
    if published.is_published:
        published.corrections += 1
        published.corrected_at = now
        published.correction_note = correction.strip()[:300]
    else:
        published.published_at = now
    published.questions = questions
    published.note = note.strip()[:4000]
    published.published_by = by
    published.save()
    version_bump(published_days_version(cohort.id))
    return published


def day_unpublish(*, cohort, training_day) -> None:
    PublishedDay.objects.filter(cohort=cohort, training_day=training_day).update(
        published_at=None, corrections=0, corrected_at=None, correction_note=""
    )
    version_bump(published_days_version(cohort.id))


def published_day_get(*, cohort, training_day) -> PublishedDay | None:
    return PublishedDay.objects.filter(
        cohort=cohort, training_day=training_day, published_at__isnull=False
    ).first()


def day_summary_pdf(published: PublishedDay, title: str) -> bytes:
    """The published day as a tidy PDF: each question with its result in words."""
    document = Document(title)
    document.line(title, "B", 18)
    if published.corrected_at:
        corrected = timezone.localtime(published.corrected_at).strftime("%d.%m.%Y")
        document.line(_("Corrected %(date)s") % {"date": corrected}, "I", 9)
    if published.note:
        document.line(published.note, "", 11)
    for question in published.questions:
        document.line(question["prompt"], "B", 13)
        for row in summary_rows(question):
            document.line(" · ".join(str(cell) for cell in row if cell != ""), "", 10)
    return document.bytes()


def summary_rows(question: dict) -> list[list]:
    """A published question's result as rows (what it was about, how many, a quote): for the
    PDF and the spreadsheet alike."""
    data, kind = question["data"], question["kind"]
    if not data:
        return [[_("Too few answers to show."), question["count"], ""]]
    if kind == LiveQuestion.Kind.SCALE:
        rows = [[value, n, ""] for value, n in data["distribution"].items()]
        return [*rows, [_("Mean"), data["mean"], ""]]
    if kind in (LiveQuestion.Kind.SINGLE, LiveQuestion.Kind.MULTIPLE):
        return [[choice, n, ""] for choice, n in data["distribution"].items()]
    if kind == LiveQuestion.Kind.WORDS:
        return [[word["word"], word["count"], ""] for word in data["words"]]
    return [
        [theme["keyword"], len(theme["answers"]), theme["quotes"][0] if theme["quotes"] else ""]
        for theme in data["themes"]
    ]


def commitment_link(*, question: LiveQuestion, assignment_id: int | None) -> None:
    """The trainer brings a commitment question back in an assignment of the programme (or
    in none): each participant sees their own commitment there."""
    if question.kind != LiveQuestion.Kind.COMMITMENT:
        raise ValidationError(_("Only a commitment question comes back in an assignment."))
    page = None
    if assignment_id:
        page = (
            AssignmentPage.objects.live()
            .child_of(question.cohort.programme)
            .filter(id=assignment_id)
            .first()
        )
        if page is None:
            raise ValidationError(_("Choose an assignment of this path."))
    LiveQuestion.objects.filter(id=question.id).update(follow_up=page)
    version_bump(questions_version(question.cohort_id))  # an update() sends no signal


def commitment_follow_up_ask(*, commitment: LiveQuestion, training_day) -> LiveQuestion:
    """On a later training day, a scale question that starts from a day's commitments: "how
    did your commitment go?", with the themes of the commitments beside it; each participant
    sees their own commitment above the scale."""
    if commitment.kind != LiveQuestion.Kind.COMMITMENT:
        raise ValidationError(_("Only a commitment question can be followed up."))
    summary = LiveSummary.objects.filter(question=commitment).first()
    themes = [t["keyword"] for t in (summary.data.get("themes", []) if summary else [])]
    with translation.override(commitment.cohort.language or settings.LANGUAGE_CODE):
        options = {
            "min": 1,
            "max": 5,
            "min_label": _("not at all"),
            "max_label": _("very well"),
            "commitment_of": commitment.id,
            "themes": themes,
        }
        prompt = _("How did your commitment go?")
    return question_create(
        cohort=commitment.cohort,
        training_day=training_day,
        kind=LiveQuestion.Kind.SCALE,
        prompt=prompt,
        options=options,
    )


def commitment_reminders_due(now) -> list[LiveAnswer]:
    """The commitments whose reminder is due: made on a training day, now past the halfway
    point to the cohort's next day and before it begins. A few queries, whatever the number
    of cohorts."""
    schedules = TrainingDaySchedule.objects.order_by("cohort_id", "starts_at").values_list(
        "cohort_id", "page_id", "starts_at", "ends_at"
    )
    due = []
    previous = None
    for cohort_id, page_id, starts_at, ends_at in schedules:
        if previous and previous[0] == cohort_id:
            halfway = previous[3] + (starts_at - previous[3]) / 2
            if halfway <= now < starts_at:
                due.append((cohort_id, previous[1]))
        previous = (cohort_id, page_id, starts_at, ends_at)
    if not due:
        return []
    days = Q()
    for cohort_id, day_id in due:
        days |= Q(question__cohort_id=cohort_id, question__training_day_id=day_id)
    return list(
        LiveAnswer.objects.filter(days, question__kind=LiveQuestion.Kind.COMMITMENT).select_related(
            "user", "question__cohort", "question__training_day"
        )
    )
