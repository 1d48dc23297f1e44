from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polku.access import ALL_ROLES, STAFF_ROLES, membership_get
from polku.caching import cache_get, cache_set
from polku.exports import table_response
from polku.forms import SwitchForm, wants_json
from polku.people.models import Role
from polku.qr import qr_svg
from programmes.access import training_day_get

from . import selectors, services
from .access import live_question_get
from .forms import (
    AnswerForm,
    CurationForm,
    LinkForm,
    PublishForm,
    QuestionCreateForm,
    WordForm,
)
from .models import LiveQuestion, LiveRoom

PROJECTOR_SALT = "polku.live.projector"
ROOM_SALT = "polku.live.room"
ROOM_ROLES = (Role.PARTICIPANT, Role.TRAINER)


@login_required
def live_day(request, cohort_slug, page_id):
    """The day's live questions: trainers run them, participants answer them."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, ROOM_ROLES)
    cohort = membership.cohort
    context = {"membership": membership, "cohort": cohort, "page": day}
    if membership.is_trainer:
        services.prepared_questions_sync(cohort=cohort, training_day=day)
        room = services.room_get_or_create(cohort=cohort, training_day=day)
        return render(
            request,
            "live/facilitator.html",
            context
            | {
                "cards": selectors.facilitator_cards(cohort=cohort, training_day=day),
                "room": room,
                "kinds": LiveQuestion.Kind.choices,
                "join_url": request.build_absolute_uri(reverse("live_join", args=[room.code])),
                "assignments": selectors.assignments_of(cohort.programme),
                "earlier_commitments": selectors.earlier_commitments(cohort=cohort, day=day),
            },
        )
    cards = selectors.participant_cards(cohort=cohort, training_day=day, user=request.user)
    token = signing.dumps([cohort.id, day.id], salt=ROOM_SALT)
    return render(
        request,
        "live/participant.html",
        context
        | {
            "cards": cards,
            "poll_url": reverse("live_room_poll", args=[token]),
            "room_version": selectors.room_version(cohort.id, day.id),
            "live_i18n": {
                "opened": _("A question is open:"),
                "closed": _("A question closed. The room's answers are below it."),
                "changed": _("The questions were updated."),
            },
        },
    )


@require_GET
def live_room_poll(request, token):
    """A participant's phone asks every few seconds whether the room changed (a question opened,
    closed or was hidden, a summary updated). The link is signed for one cohort's day; the
    answer is a version, 304 when unchanged, from the cache: no session, no query."""
    try:
        cohort_id, day_id = signing.loads(token, salt=ROOM_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    etag = f'"{selectors.room_version(cohort_id, day_id)}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = JsonResponse({"version": etag.strip('"')})
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


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
    form = QuestionCreateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the kind of question."))
        services.question_create(
            cohort=membership.cohort,
            training_day=day,
            kind=form.cleaned_data["kind"],
            prompt=form.cleaned_data["prompt"],
            options=form.options(),
            anonymous=form.cleaned_data["anonymous"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("live_day", cohort_slug=cohort_slug, page_id=day.id)


def _question_action(form_class=SwitchForm):
    """A trainer's act on one question: reads the POST with its form, calls the service (the
    decorated function) and goes back to the question on the day's page."""

    def decorate(act):
        @login_required
        @require_POST
        @wraps(act)
        def view(request, cohort_slug, question_id):
            membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
            question = live_question_get(membership, question_id)
            form = form_class(request.POST)
            form.is_valid()  # every field is optional: the service judges what it is given
            try:
                act(question, form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            day_url = reverse("live_day", args=[cohort_slug, question.training_day_id])
            return redirect(f"{day_url}#q-{question.id}")

        return view

    return decorate


@_question_action()
def live_question_open(question, data):
    services.question_open(question=question)


@_question_action()
def live_question_close(question, data):
    services.question_close(question=question)


@_question_action(SwitchForm)
def live_question_hide(question, data):
    services.question_hide(question=question, hidden=data["on"])


@_question_action(WordForm)
def live_word_exclude(question, data):
    services.word_exclude(question=question, word=data["word"])


@_question_action(LinkForm)
def live_commitment_link(question, data):
    services.commitment_link(question=question, assignment_id=data.get("assignment"))


@login_required
@require_POST
def live_commitment_ask(request, cohort_slug, page_id, question_id):
    """On this training day, ask how an earlier day's commitments went."""
    membership, day = training_day_get(request.user, cohort_slug, page_id, [Role.TRAINER])
    commitment = live_question_get(membership, question_id)
    try:
        question = services.commitment_follow_up_ask(commitment=commitment, training_day=day)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("live_day", cohort_slug=cohort_slug, page_id=day.id)
    day_url = reverse("live_day", args=[cohort_slug, day.id])
    return redirect(f"{day_url}#q-{question.id}")


@_question_action(CurationForm)
def live_curate(question, data):
    services.curation_set(
        question=question,
        action=data.get("action") or "",
        theme=data.get("theme") or "",
        into=data.get("into") or "",
        name=data.get("name") or "",
        answer_id=data.get("answer"),
    )


@login_required
@require_POST
def live_answer(request, cohort_slug, question_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.PARTICIPANT])
    question = live_question_get(membership, question_id)
    form = AnswerForm(request.POST, question=question)
    form.is_valid()  # the value is the service's to judge
    try:
        services.answer_submit(question=question, user=request.user, raw=form.cleaned_data["value"])
        level, message = messages.SUCCESS, _("Thank you! Your answer is in.")
    except services.QuestionClosed:
        level, message = messages.ERROR, _("This question has closed: your answer was not saved.")
    except ValidationError as error:
        level, message = messages.ERROR, " ".join(error.messages)
    if wants_json(request):
        # static/live.js sent it: the card is replaced where it is, with the room's summary
        # now that the person has answered; the rest of the page stays as it is.
        cards = selectors.participant_cards(
            cohort=membership.cohort,
            training_day=question.training_day_id,
            user=request.user,
            question_id=question.id,
        )
        html = (
            render_to_string(
                "live/includes/participant_card.html",
                {"card": cards[0], "cohort": membership.cohort},
                request=request,
            )
            if cards
            else ""
        )
        return JsonResponse(
            {"ok": level == messages.SUCCESS, "message": message, "html": html},
            status=200 if level == messages.SUCCESS else 400,
        )
    messages.add_message(request, level, message)
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
            "payload": selectors.summary_payload(
                question, selectors.participant_count(membership.cohort_id)
            )
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
        payload = selectors.summary_payload(question, selectors.participant_count(cohort_id))
        cache_set(key, payload)
    if (payload["cohort_id"], payload["day_id"]) != (cohort_id, day_id):
        raise Http404
    etag = f'"{payload["version"]}-{payload["state"]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = JsonResponse(
        {k: payload[k] for k in ("version", "state", "closed", "count", "waiting", "html")}
    )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def live_answers_csv(request, cohort_slug, question_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    question = live_question_get(membership, question_id)
    header, rows = selectors.answers_table(question)
    return table_response(f"live-{question.id}", "csv", header, rows)


@login_required
@require_GET
def live_summaries(request, cohort_slug, page_id):
    """The day's summary. Trainers see every closed question as it stands and publish it to
    the cohort (or correct, or unpublish it); participants and organisers see what was
    published."""
    membership, day = training_day_get(request.user, cohort_slug, page_id)
    cohort = membership.cohort
    published = services.published_day_get(cohort=cohort, training_day=day)
    context = {
        "membership": membership,
        "cohort": cohort,
        "page": day,
        "published": published,
        "shown_from": selectors.ANSWERS_SHOWN_FROM,
    }
    if membership.is_trainer:
        context["cards"] = selectors.closed_cards(cohort=cohort, training_day=day, with_hidden=True)
    return render(request, "live/summaries.html", context)


@login_required
@require_POST
def live_publish(request, cohort_slug, page_id):
    membership, day = training_day_get(request.user, cohort_slug, page_id, [Role.TRAINER])
    form = PublishForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if data.get("action") == "unpublish":
        services.day_unpublish(cohort=membership.cohort, training_day=day)
        messages.success(request, _("The day's summary is no longer shown to the cohort."))
    else:
        try:
            published = services.day_publish(
                cohort=membership.cohort,
                training_day=day,
                by=request.user,
                note=data.get("note") or "",
                correction=data.get("correction") or "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The correction is published.")
                if published.corrections
                else _("The day's summary is published to the cohort."),
            )
    return redirect("live_summaries", cohort_slug=cohort_slug, page_id=day.id)


def _published(request, cohort_slug, page_id, roles=ALL_ROLES):
    membership, day = training_day_get(request.user, cohort_slug, page_id, roles)
    published = services.published_day_get(cohort=membership.cohort, training_day=day)
    if published is None:
        raise Http404
    return membership, day, published


@login_required
@require_GET
def live_summary_pdf(request, cohort_slug, page_id):
    membership, day, published = _published(request, cohort_slug, page_id)
    title = f"{day.title} · {membership.cohort.name}"
    response = HttpResponse(
        services.day_summary_pdf(published, title), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{day.slug}.pdf"'
    return response


@login_required
@require_GET
def live_summary_xlsx(request, cohort_slug, page_id):
    membership, day, published = _published(request, cohort_slug, page_id, STAFF_ROLES)
    rows = (
        [question["prompt"], *row]
        for question in published.questions
        for row in services.summary_rows(question)
    )
    header = [_("Question"), _("Result"), _("Answers"), _("Quote")]
    return table_response(f"{day.slug}-{membership.cohort.slug}", "xlsx", header, rows)


@login_required
@require_GET
def live_commitments(request, cohort_slug):
    """The trainers' view of the cohort's commitments, day by day, grouped by theme."""
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    return render(
        request,
        "live/commitments.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "days": selectors.cohort_commitments(cohort=membership.cohort),
        },
    )
