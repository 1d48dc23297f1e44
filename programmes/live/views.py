from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polku.access import membership_get
from polku.caching import cache_get, cache_set
from polku.exports import table_response
from polku.people.models import Membership, Role
from polku.qr import qr_svg
from programmes.access import training_day_get

from . import services
from .access import live_question_get
from .models import LiveAnswer, LiveQuestion, LiveRoom, LiveSummary

PROJECTOR_SALT = "polku.live.projector"
ROOM_ROLES = (Role.PARTICIPANT, Role.TRAINER)


def participant_count(cohort_id: int) -> int:
    return Membership.objects.filter(cohort_id=cohort_id, role=Role.PARTICIPANT).count()


def summary_payload(question: LiveQuestion, participants: int) -> dict:
    """What the projector and the day page show of a question: its summary as HTML, with the
    anonymity rules applied. Cached until the next build or state change."""
    summary = _summary_of(question)
    data = summary.data if summary else {}
    count = data.get("count", 0)
    html = render_to_string(
        "live/includes/summary.html",
        {
            "question": question,
            "data": data,
            # Open-answer quotes of a question with fewer than three answers stay off the screen.
            "show_quotes": count >= 3,
        },
    )
    return {
        "version": summary.version if summary else 0,
        "state": question.state,
        "prompt": question.prompt,
        "count": count,
        "waiting": max(participants - count, 0),
        "html": html,
        "cohort_id": question.cohort_id,
        "day_id": question.training_day_id,
    }


def _summary_of(question: LiveQuestion) -> LiveSummary | None:
    """The question's summary: fetched with the question when the view asked for it
    (select_related), else read now."""
    try:
        return question.summary
    except LiveSummary.DoesNotExist:
        return None


TEXT_KINDS = (LiveQuestion.Kind.OPEN, LiveQuestion.Kind.COMMITMENT)


def theme_answers(question: LiveQuestion) -> list[dict]:
    """For the facilitator: each theme of an open question with every answer behind it (the
    summary stores the answers' ids; the projector shows only a few quotes). Reads the
    answers the view prefetched."""
    summary = _summary_of(question)
    if question.kind not in TEXT_KINDS or summary is None or not summary.data.get("themes"):
        return []
    texts = {answer.id: answer.value for answer in question.answers.all()}
    return [
        {"keyword": theme["keyword"], "answers": [texts[i] for i in theme["answers"] if i in texts]}
        for theme in summary.data["themes"]
    ]


@login_required
def live_day(request, cohort_slug, page_id):
    """The day's live questions: trainers run them, participants answer them."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, ROOM_ROLES)
    questions = LiveQuestion.objects.filter(cohort=membership.cohort, training_day=day)
    context = {"membership": membership, "cohort": membership.cohort, "page": day}
    if membership.role == Role.TRAINER:
        services.prepared_questions_sync(cohort=membership.cohort, training_day=day)
        room = services.room_get_or_create(cohort=membership.cohort, training_day=day)
        # The answers the page lists: who answered what (named questions), and the answers
        # behind each theme (open questions); one query for the whole day.
        listed = LiveAnswer.objects.filter(
            Q(question__anonymous=False) | Q(question__kind__in=TEXT_KINDS)
        ).select_related("user")
        questions = list(
            questions.select_related("summary")
            .annotate(answer_count=Count("answers"))
            .prefetch_related(
                Prefetch("answers", queryset=listed.order_by("user__first_name", "id"))
            )
        )
        participants = participant_count(membership.cohort_id)
        for question in questions:
            question.payload = summary_payload(question, participants)
            question.themes = theme_answers(question)
            question.named = [] if question.anonymous else question.answers.all()
        return render(
            request,
            "live/facilitator.html",
            context
            | {
                "questions": questions,
                "room": room,
                "kinds": LiveQuestion.Kind.choices,
                "join_url": request.build_absolute_uri(reverse("live_join", args=[room.code])),
            },
        )
    visible = list(
        questions.filter(hidden=False)
        .exclude(state=LiveQuestion.State.READY)
        .select_related("summary")
    )
    mine = dict(
        LiveAnswer.objects.filter(question__in=visible, user=request.user).values_list(
            "question_id", "value"
        )
    )
    participants = participant_count(membership.cohort_id)
    for question in visible:
        question.my_answer = mine.get(question.id)
        if question.kind == LiveQuestion.Kind.SCALE:
            question.scale_values = range(
                question.options.get("min", 1), question.options.get("max", 5) + 1
            )
        if question.id in mine or question.state == LiveQuestion.State.CLOSED:
            question.payload = summary_payload(question, participants)
    return render(request, "live/participant.html", context | {"questions": visible})


@login_required
def live_join(request, code):
    """The short code on the projector: works on any phone after login."""
    room = LiveRoom.objects.select_related("cohort").filter(code=code.upper()).first()
    if room is None:
        raise Http404
    membership_get(request.user, room.cohort.slug, roles=ROOM_ROLES)
    return redirect("live_day", cohort_slug=room.cohort.slug, page_id=room.training_day_id)


@login_required
@require_POST
def live_question_create(request, cohort_slug, page_id):
    """A question added on the spot during the day."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, [Role.TRAINER])
    kind = request.POST.get("kind", "")
    choices = [c.strip() for c in request.POST.get("choices", "").splitlines() if c.strip()]
    options = (
        {"choices": choices}
        if kind in ("single", "multiple")
        else ({"min": 1, "max": 5} if kind == "scale" else {})
    )
    try:
        services.question_create(
            cohort=membership.cohort,
            training_day=day,
            kind=kind,
            prompt=request.POST.get("prompt", "").strip(),
            options=options,
            anonymous=request.POST.get("anonymous") == "on",
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("live_day", cohort_slug=cohort_slug, page_id=day.id)


@login_required
@require_POST
def live_question_update(request, cohort_slug, question_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    question = live_question_get(membership, question_id)
    action = request.POST.get("action")
    if action == "open":
        services.question_open(question=question)
    elif action == "close":
        services.question_close(question=question)
    elif action in ("hide", "unhide"):
        services.question_hide(question=question, hidden=action == "hide")
    elif action == "exclude":
        services.word_exclude(question=question, word=request.POST.get("word", ""))
    return redirect(
        reverse("live_day", args=[cohort_slug, question.training_day_id]) + f"#q-{question.id}"
    )


@login_required
@require_POST
def live_answer(request, cohort_slug, question_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.PARTICIPANT])
    question = live_question_get(membership, question_id)
    raw = (
        request.POST.getlist("value")
        if question.kind == LiveQuestion.Kind.MULTIPLE
        else request.POST.get("value")
    )
    try:
        services.answer_submit(question=question, user=request.user, raw=raw)
        messages.success(request, _("Thank you! Your answer is in."))
    except services.QuestionClosed:
        messages.error(request, _("This question has closed: your answer was not saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(
        reverse("live_day", args=[cohort_slug, question.training_day_id]) + f"#q-{question.id}"
    )


@login_required
@require_GET
def live_projector(request, cohort_slug, page_id):
    """The big screen: the chosen (or latest opened) question, updating by itself."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, [Role.TRAINER])
    questions = LiveQuestion.objects.filter(
        cohort=membership.cohort, training_day=day, hidden=False
    )
    chosen = request.GET.get("q")
    question = (
        questions.filter(id=chosen).first()
        if chosen and chosen.isdigit()
        else questions.exclude(opened_at=None).order_by("-opened_at").first()
    )
    room = services.room_get_or_create(cohort=membership.cohort, training_day=day)
    token = signing.dumps([membership.cohort_id, day.id], salt=PROJECTOR_SALT)
    join_url = request.build_absolute_uri(reverse("live_join", args=[room.code]))
    return render(
        request,
        "live/projector.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": day,
            "room": room,
            "question": question,
            "payload": summary_payload(question, participant_count(membership.cohort_id))
            if question
            else None,
            "poll_url": reverse("live_projector_poll", args=[token, question.id])
            if question
            else "",
            "join_url": join_url,
            "join_qr": qr_svg(join_url),
        },
    )


@require_GET
def live_projector_poll(request, token, question_id):
    """The projector's poll. The link is signed for one cohort's day, so it needs no session;
    an unchanged summary is answered 304 from the cache, without a database query."""
    try:
        cohort_id, day_id = signing.loads(token, salt=PROJECTOR_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    key = services.summary_cache_key(question_id)
    payload = cache_get(key)
    if payload is None:
        question = LiveQuestion.objects.filter(
            id=question_id, cohort_id=cohort_id, training_day_id=day_id, hidden=False
        ).first()
        if question is None:
            raise Http404
        payload = summary_payload(question, participant_count(cohort_id))
        cache_set(key, payload)
    if (payload["cohort_id"], payload["day_id"]) != (cohort_id, day_id):
        raise Http404
    etag = f'"{payload["version"]}-{payload["state"]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = JsonResponse(
        {k: payload[k] for k in ("version", "state", "count", "waiting", "html")}
    )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def live_answers_csv(request, cohort_slug, question_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    question = live_question_get(membership, question_id)
    # An anonymous question's answers carry no name, no time and no order of arrival: in a
    # small room, times in order would tell who wrote what. They are sorted by their text.
    header = [_("Answer")] if question.anonymous else [_("Time"), _("Answer"), _("Name")]

    def text(answer) -> str:
        return ", ".join(answer.value) if isinstance(answer.value, list) else str(answer.value)

    def rows():
        if question.anonymous:
            for value in sorted(text(a) for a in question.answers.only("value")):
                yield [value]
            return
        for answer in question.answers.select_related("user").order_by("updated_at"):
            name = answer.user.get_full_name() or answer.user.email
            yield [answer.updated_at.isoformat(timespec="seconds"), text(answer), name]

    return table_response(f"live-{question.id}", "csv", header, rows())


@login_required
@require_GET
def live_summaries(request, cohort_slug, page_id):
    """The day's summaries, kept with the training day: a printable page."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, ROOM_ROLES)
    questions = LiveQuestion.objects.filter(
        cohort=membership.cohort, training_day=day, state=LiveQuestion.State.CLOSED
    )
    if membership.role != Role.TRAINER:
        questions = questions.filter(hidden=False)
    questions = list(questions.select_related("summary"))
    participants = participant_count(membership.cohort_id)
    for question in questions:
        question.payload = summary_payload(question, participants)
    return render(
        request,
        "live/summaries.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": day,
            "questions": questions,
        },
    )
