"""The organisers' side of mentoring: the organisation's programmes, a new one, a
programme's figures and pairs at risk, people's profiles, making pairs, acting on a pair,
recognition and the export. Figures only: a pair's content is never here."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, OuterRef, Q, Subquery, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import membership_get
from polku.exports import table_response
from polku.people.models import Role

from . import services
from .access import programme_get
from .forms import (
    MessageForm,
    PairActionForm,
    PairForm,
    ProfileForm,
    ProgrammeForm,
    RecognitionForm,
)
from .models import CheckIn, MentoringProgramme, MentorProfile, Milestone, Pair, PairStatus, Risk


@login_required
@require_GET
def mentoring_programmes(request, cohort_slug):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    cohort = membership.cohort
    programmes = (
        MentoringProgramme.objects.filter(organisation_id=cohort.organisation_id)
        .filter(Q(cohort=cohort) | Q(cohort=None))
        .annotate(pair_count=Count("pairs"))
        .order_by("-starts_on")
    )
    return render(
        request,
        "mentoring/programmes.html",
        {"membership": membership, "cohort": cohort, "programmes": programmes},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_programme_new(request, cohort_slug):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    cohort = membership.cohort
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organisation_wide"}
        try:
            services.programme_create(
                owner=request.user,
                organisation=cohort.organisation,
                cohort=None if form.cleaned_data["organisation_wide"] else cohort,
                **fields,
            )
        except services.MentoringRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The mentoring programme is saved."))
            return redirect("mentoring_programmes", cohort_slug=cohort.slug)
    return render(
        request,
        "mentoring/programme_new.html",
        {"membership": membership, "cohort": cohort, "form": form},
    )


PAIRS_PER_PAGE = 25  # at risk first; the rest a page further


def _programme(request, cohort_slug, programme_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    return membership, programme_get(membership, programme_id)


def _people(programme):
    return list(services.programme_people(programme).order_by("first_name", "last_name", "email"))


def _latest_checkins(pairs) -> dict:
    """(pair id, user id) -> that side's latest check-in, for the pairs shown (the owner's
    eyes only): one query, two rows a pair however long the history."""
    latest_period = (
        CheckIn.objects.filter(pair=OuterRef("pair"), user=OuterRef("user"))
        .order_by("-period_start")
        .values("period_start")[:1]
    )
    recent = timezone.localdate() - timedelta(days=70)  # older ones show as missed check-ins
    checkins = CheckIn.objects.filter(
        pair__in=pairs, period_start__gte=recent, period_start=Subquery(latest_period)
    )
    return {(checkin.pair_id, checkin.user_id): checkin for checkin in checkins}


@login_required
@require_GET
def mentoring_programme(request, cohort_slug, programme_id):
    """The programme's page: its figures, its pairs (those at risk first) and what the
    organisers can do about them. Check-in answers are shown to the owner only; notes and
    goals to nobody but the pair."""
    membership, programme = _programme(request, cohort_slug, programme_id)
    pairs = (
        programme.pairs.select_related("mentor", "mentee")
        .annotate(well=Case(When(risks=[], then=1), default=0))
        .order_by("status", "well", "id")
    )
    if request.GET.get("at_risk"):
        pairs = pairs.exclude(risks=[])
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    is_owner = programme.owner_id == request.user.id
    latest = _latest_checkins([pair.id for pair in page]) if is_owner else {}
    rows = [
        {
            "pair": pair,
            "risks": [Risk(risk).label for risk in pair.risks],
            "rate": services.percent(pair.checkins_done, pair.checkins_due),
            "checkins": [
                latest.get((pair.id, pair.mentor_id)),
                latest.get((pair.id, pair.mentee_id)),
            ],
        }
        for pair in page
    ]
    figures = programme.figures
    return render(
        request,
        "mentoring/programme.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "programme": programme,
            "figures": figures,
            "checkin_rate": services.checkin_rate(figures),
            "hours_share": services.minimum_hours_share(figures),
            "page": page,
            "rows": rows,
            "is_owner": is_owner,
            "at_risk_only": bool(request.GET.get("at_risk")),
            "message_form": MessageForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_profiles(request, cohort_slug, programme_id):
    """What people can help with and want to learn: the ground for the suggestions."""
    membership, programme = _programme(request, cohort_slug, programme_id)
    people = _people(programme)
    form = ProfileForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.profile_save(
            user=next(p for p in people if p.id == data["user"]),
            organisation=programme.organisation,
            can_help_with=data["can_help_with"],
            wants_help_with=data["wants_help_with"],
            capacity=data["capacity"],
        )
        messages.success(request, _("The profile is saved."))
        return redirect("mentoring_profiles", cohort_slug=cohort_slug, programme_id=programme.id)
    profiles = MentorProfile.objects.filter(
        organisation=programme.organisation, user__in=[p.id for p in people]
    ).select_related("user")
    return render(
        request,
        "mentoring/profiles.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "programme": programme,
            "profiles": profiles,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_pair_new(request, cohort_slug, programme_id):
    """Making a pair by hand, with suggestions for the mentee chosen: mentors whose skills
    meet the mentee's wishes, with room left, never (in classic mentoring) the mentee's own
    supervisor."""
    membership, programme = _programme(request, cohort_slug, programme_id)
    people = _people(programme)
    by_id = {person.id: person for person in people}
    data = request.POST if request.method == "POST" else request.GET
    form = PairForm(data or None, people=people, kind=programme.kind)
    mentee = by_id.get(_int(data.get("mentee")))
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_create(
                programme=programme,
                mentor=by_id[form.cleaned_data["mentor"]],
                mentee=by_id[form.cleaned_data["mentee"]],
            )
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The pair is made."))
            return redirect(
                "mentoring_programme", cohort_slug=cohort_slug, programme_id=programme.id
            )
    return render(
        request,
        "mentoring/pair_new.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "programme": programme,
            "form": form,
            "mentee": mentee,
            "suggestions": services.mentor_suggestions(programme, mentee) if mentee else [],
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def mentoring_pair_act(request, cohort_slug, programme_id, pair_id):
    """Pause, resume or end a pair, or end it and make a new one for the mentee (re-pair)."""
    _membership, programme = _programme(request, cohort_slug, programme_id)
    pair = get_object_or_404(
        Pair.objects.select_related("programme", "mentee"), id=pair_id, programme=programme
    )
    form = PairActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the pair."))
        return redirect("mentoring_programme", cohort_slug=cohort_slug, programme_id=programme.id)
    action = form.cleaned_data["action"]
    status = {"pause": PairStatus.PAUSED, "resume": PairStatus.ACTIVE}.get(action, PairStatus.ENDED)
    try:
        services.pair_status_set(pair=pair, status=status)
    except services.MentoringRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            {
                "pause": _("The pair is paused: no check-ins or reminders until it resumes."),
                "resume": _("The pair is active again."),
                "end": _("The pair has ended."),
                "repair": _("The pair has ended. Choose a new mentor."),
            }[action],
        )
        if action == "repair":
            new = reverse("mentoring_pair_new", args=[cohort_slug, programme.id])
            return redirect(f"{new}?mentee={pair.mentee_id}")
    return redirect("mentoring_programme", cohort_slug=cohort_slug, programme_id=programme.id)


@login_required
@require_POST
def mentoring_pair_message(request, cohort_slug, programme_id, pair_id):
    """An organiser's email to one or both of a pair (about the pairing: the pair's own
    content stays theirs)."""
    membership, programme = _programme(request, cohort_slug, programme_id)
    pair = get_object_or_404(
        Pair.objects.select_related("mentor", "mentee"), id=pair_id, programme=programme
    )
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the message first."))
    else:
        to = form.cleaned_data["to"]
        people = [pair.mentor, pair.mentee] if to == "both" else [getattr(pair, to)]
        services.pair_message_send(
            pair=pair, people=people, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(
            request,
            ngettext(
                "The message is on its way to %(count)d person.",
                "The message is on its way to %(count)d people.",
                len(people),
            )
            % {"count": len(people)},
        )
    return redirect("mentoring_programme", cohort_slug=cohort_slug, programme_id=programme.id)


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_recognition(request, cohort_slug, programme_id):
    """Milestones reached, and what was given to whom: the owner records it."""
    membership, programme = _programme(request, cohort_slug, programme_id)
    in_pairs = services.people_in_pairs(programme).order_by("first_name", "last_name")
    form = RecognitionForm(
        request.POST if request.method == "POST" else None,
        people=in_pairs,
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_record(
                programme=programme,
                user_id=form.cleaned_data["user"],
                what=form.cleaned_data["what"],
                given_on=form.cleaned_data["given_on"],
                by=request.user,
            )
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The recognition is recorded."))
            return redirect(
                "mentoring_recognition", cohort_slug=cohort_slug, programme_id=programme.id
            )
    return render(
        request,
        "mentoring/recognition.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "programme": programme,
            "form": form,
            "milestones": Milestone.objects.filter(pair__programme=programme)
            .select_related("pair__mentor", "pair__mentee")
            .order_by("-reached_on")[:200],
            "recognitions": programme.recognitions.select_related("user"),
        },
    )


@login_required
@require_GET
def mentoring_export(request, cohort_slug, programme_id, fmt):
    """The programme's pairs as figures (never their notes, goals or check-in answers)."""
    _membership, programme = _programme(request, cohort_slug, programme_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [
        _("Mentor"),
        _("Mentee"),
        _("Status"),
        _("Hours"),
        _("Minimum hours"),
        _("Last session"),
        _("Check-ins answered"),
        _("Check-ins due"),
        _("At risk"),
    ]
    rows = (
        [
            pair.mentor.get_full_name() or pair.mentor.email,
            pair.mentee.get_full_name() or pair.mentee.email,
            pair.get_status_display(),
            float(pair.hours),
            programme.minimum_hours,
            pair.last_session_on,
            pair.checkins_done,
            pair.checkins_due,
            ", ".join(str(Risk(risk).label) for risk in pair.risks),
        ]
        for pair in programme.pairs.select_related("mentor", "mentee")
        .order_by("id")
        .iterator(chunk_size=1000)
    )
    return table_response(f"mentoring-{programme.id}", fmt, header, rows)
