"""Pages of impact surveys.

- Team members (no account): `team_survey` (a personal link) and `team_survey_link` (the team
  link shown at a meeting). They reach nothing else of Polku.
- Supervisors: their team (who is invited, the team link, their own answers, results) and their
  weekly self-evaluation.
- Trainers: each of their supervisors' results; trainers and organisers: the cohort's change."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import STAFF_ROLES, membership_get, small_group_get
from polku.caching import cache_get, cache_set
from polku.exports import FORMATS, table_response
from polku.people.models import Membership, Role
from polku.qr import qr_svg

from . import selectors, services
from .forms import SCALE_LABELS, ReflectionForm, ReminderForm, SurveyForm, TeamMembersForm
from .models import Rater, ReflectionHabit, SurveyWave, WeeklyReflection
from .services import SurveyRefused

DEVICE_COOKIE = "polku_team_{wave}_{supervisor}"


def _language(request) -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


# -- team members --------------------------------------------------------------------------


def _refused(request, message: str, status: int):
    return render(request, "impact/survey_closed.html", {"reason": message}, status=status)


def _invalid_link(request):
    message = _("This link is not valid. Check that the whole address was copied.")
    return _refused(request, message, 404)


def _survey_page(request, wave, supervisor, *, invitation=None, token=""):
    """The survey for one wave about one supervisor: the form, or its thanks."""
    language = _language(request)
    items = services.current_items(wave.page)
    # An empty POST is a submit too (it asks for an answer), so not `request.POST or None`.
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, items=items, language=language)
    context = {
        "wave": wave,
        "survey": wave.page,
        "intro": wave.page.intro(language),
        "supervisor": supervisor.user.get_full_name() or supervisor.user.email,
        "form": form,
        "threshold": wave.cohort.programme.anonymity_threshold,
    }
    cookie = DEVICE_COOKIE.format(wave=wave.id, supervisor=supervisor.id)
    if invitation is None and request.get_signed_cookie(cookie, default=None, salt=cookie):
        return _refused(request, _("You have answered from this device already. Thank you!"), 200)
    if request.method == "POST" and form.is_valid():
        if invitation is None and _too_many(request, token):
            return _refused(
                request, _("Too many answers from this network just now. Try again later."), 429
            )
        values, texts = form.answers()
        try:
            services.team_answer_submit(
                wave=wave, supervisor=supervisor, values=values, texts=texts, invitation=invitation
            )
        except SurveyRefused as refusal:
            if not values and not texts:
                form.add_error(None, refusal.message)
                return render(request, "impact/survey.html", context)
            return _refused(request, refusal.message, 200)
        response = render(request, "impact/survey_done.html", context)
        if invitation is None:
            response.set_signed_cookie(
                cookie, "1", salt=cookie, max_age=60 * 60 * 24 * 400, httponly=True, samesite="Lax"
            )
        return response
    return render(request, "impact/survey.html", context)


def _too_many(request, token: str) -> bool:
    address = request.META.get("REMOTE_ADDR", "")
    key = (
        "impact:link:" + hashlib.blake2b(f"{token}|{address}".encode(), digest_size=12).hexdigest()
    )
    count = (cache_get(key) or 0) + 1
    cache_set(key, count, timeout=60 * 60)
    return count > settings.POLKU_TEAM_LINK_POSTS_PER_HOUR


def _open_or_refused(request, wave):
    if refusal := services.wave_refusal(wave):
        return _refused(request, refusal, 410 if wave.has_closed() else 200)
    return None


@require_http_methods(["GET", "POST"])
def team_survey(request, token):
    """A team member's personal link: one answer, then the link is used up."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return _invalid_link(request)
    wave = invitation.wave
    if invitation.used:
        return _refused(
            request, _("This link has been used already. Thank you for answering!"), 200
        )
    return _open_or_refused(request, wave) or _survey_page(
        request, wave, invitation.member.supervisor, invitation=invitation
    )


@require_http_methods(["GET", "POST"])
def team_survey_link(request, token):
    """The team link: for teams without work email, one answer per device."""
    found = services.team_link_from_token(token)
    if found is None:
        return _invalid_link(request)
    wave, supervisor = found
    return _open_or_refused(request, wave) or _survey_page(request, wave, supervisor, token=token)


# -- supervisors ---------------------------------------------------------------------------


def _supervisor(request, cohort_slug) -> Membership:
    membership = membership_get(request.user, cohort_slug, roles=[Role.PARTICIPANT])
    return membership


@login_required
@require_GET
def team(request, cohort_slug):
    """The supervisor's team: who is invited, the team link of each open wave, their own
    answers, and what the team said (above N)."""
    supervisor = _supervisor(request, cohort_slug)
    cohort = supervisor.cohort
    waves = selectors.open_waves(cohort)
    own = selectors.own_answered(waves, supervisor)
    return render(
        request,
        "impact/team.html",
        {
            "membership": supervisor,
            "cohort": cohort,
            "members": list(supervisor.team_members.order_by("email")),
            "form": TeamMembersForm(),
            "open_waves": [{"wave": wave, "answered_self": wave.id in own} for wave in waves],
            "results_html": _results_html(request, supervisor, supervisor, prompt=True),
        },
    )


RESULTS_CACHE_SECONDS = 300


def _results_html(request, supervisor, viewer, *, prompt: bool) -> str:
    """A supervisor's results, rendered once per state of what they show (and language):
    rendering every item and theme wave by wave is most of the page's cost."""
    language = _language(request)
    key = (
        f"impact:team:{selectors.RESULTS_CACHE_SHAPE}:{supervisor.id}:{language}:{prompt}:"
        f"{selectors.team_results_version(supervisor)}"
    )
    html = cache_get(key)
    if html is None:
        html = render_to_string(
            "impact/includes/results.html",
            {
                "results": selectors.team_results(supervisor, language=language),
                "membership": viewer,
                "cohort": supervisor.cohort,
                "prompt": prompt,
            },
            request=request,
        )
        cache_set(key, html, timeout=RESULTS_CACHE_SECONDS)
    return html  # a SafeString, as rendered (and as the cache gives it back)


@login_required
@require_POST
def team_members_add(request, cohort_slug):
    supervisor = _supervisor(request, cohort_slug)
    form = TeamMembersForm(request.POST)
    if form.is_valid():
        emails, invalid = services.emails_parse(form.cleaned_data["emails"])
        try:
            added = services.team_members_add(supervisor=supervisor, emails=emails)
        except SurveyRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person added to your team.",
                    "%(count)s people added to your team.",
                    len(added),
                )
                % {"count": len(added)},
            )
        if invalid:
            messages.error(
                request,
                _("Not email addresses, left out: %(words)s") % {"words": ", ".join(invalid)},
            )
    else:
        messages.error(request, _("Type or paste at least one email address."))
    return redirect("team", cohort_slug=cohort_slug)


@login_required
@require_POST
def team_member_remove(request, cohort_slug, member_id):
    supervisor = _supervisor(request, cohort_slug)
    get_object_or_404(supervisor.team_members, id=member_id)
    services.team_member_remove(supervisor=supervisor, member_id=member_id)
    messages.success(request, _("Taken off your team. Their earlier answers stay, unnamed."))
    return redirect("team", cohort_slug=cohort_slug)


def _wave(membership, wave_id) -> SurveyWave:
    wave = (
        SurveyWave.objects.select_related("page")
        .filter(id=wave_id, cohort_id=membership.cohort_id)
        .first()
    )
    if wave is None:
        raise Http404
    return wave


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, cohort_slug, wave_id):
    """The supervisor answers the same items about themselves."""
    supervisor = _supervisor(request, cohort_slug)
    wave = _wave(supervisor, wave_id)
    items = services.current_items(wave.page)
    own = wave.responses.filter(supervisor=supervisor, rater=Rater.SELF).first()
    initial = {f"item-{k}": v for k, v in (own.values if own else {}).items()}
    initial |= {f"item-{k}": v for k, v in (own.texts if own else {}).items()}
    form = SurveyForm(
        request.POST or None, items=items, language=_language(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values, texts = form.answers()
        try:
            services.self_answer_save(wave=wave, supervisor=supervisor, values=values, texts=texts)
        except SurveyRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your own answers are saved."))
            return redirect("team", cohort_slug=cohort_slug)
    return render(
        request,
        "impact/self.html",
        {"membership": supervisor, "cohort": supervisor.cohort, "wave": wave, "form": form},
    )


@login_required
@require_GET
def team_link(request, cohort_slug, wave_id):
    """The team link as a large QR code, to show at a team meeting."""
    supervisor = _supervisor(request, cohort_slug)
    wave = _wave(supervisor, wave_id)
    if not wave.is_open():
        raise Http404
    url = request.build_absolute_uri(
        reverse(
            "team_survey_link", args=[services.team_link_token(wave=wave, supervisor=supervisor)]
        )
    )
    return render(
        request,
        "impact/team_link.html",
        {
            "membership": supervisor,
            "cohort": supervisor.cohort,
            "wave": wave,
            "url": url,
            "qr": qr_svg(url),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflections(request, cohort_slug):
    """The weekly self-evaluation: this week's, and the earlier ones."""
    supervisor = _supervisor(request, cohort_slug)
    week = services.week_of(timezone.localdate())
    current = WeeklyReflection.objects.filter(membership=supervisor, week=week).first()
    form = ReflectionForm(request.POST or None, instance=current)
    habit = ReflectionHabit.objects.filter(membership=supervisor).first()
    if request.method == "POST" and form.is_valid():
        services.reflection_save(
            membership=supervisor,
            week=week,
            went_well=form.cleaned_data["went_well"],
            develop=form.cleaned_data["develop"],
            act=form.cleaned_data["act"],
            shared=form.cleaned_data["shared_with_trainer"],
        )
        messages.success(request, _("This week's self-evaluation is saved."))
        return redirect("reflections", cohort_slug=cohort_slug)
    return render(
        request,
        "impact/reflections.html",
        {
            "membership": supervisor,
            "cohort": supervisor.cohort,
            "form": form,
            "week": week,
            "weekly_reminder": habit.weekly_reminder if habit else True,
            "earlier": WeeklyReflection.objects.filter(membership=supervisor).exclude(week=week)[
                :52
            ],
        },
    )


@login_required
@require_POST
def reflection_reminder(request, cohort_slug):
    """Switches the weekly reminder on or off."""
    supervisor = _supervisor(request, cohort_slug)
    form = ReminderForm(request.POST)
    if form.is_valid():
        ReflectionHabit.objects.update_or_create(
            membership=supervisor,
            defaults={"weekly_reminder": form.cleaned_data["weekly_reminder"]},
        )
        messages.success(request, _("Reminder setting saved."))
    return redirect("reflections", cohort_slug=cohort_slug)


# -- trainers and organisers ---------------------------------------------------------------


@login_required
@require_GET
def impact_cohort(request, cohort_slug):
    """The cohort's change (or one small group's), and for trainers each supervisor's
    response counts."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    cohort = membership.cohort
    group = None
    if request.GET.get("group", "").isdigit():
        group = small_group_get(membership, int(request.GET["group"]))
    context = {
        "membership": membership,
        "cohort": cohort,
        "group": group,
        "groups": list(cohort.small_groups.order_by("name")),
        "results": selectors.cohort_results(
            cohort, group_id=group.id if group else None, language=_language(request)
        ),
    }
    if membership.is_trainer:
        context["supervisors"], context["waves"] = selectors.supervisors_overview(cohort)
    return render(request, "impact/cohort.html", context)


@login_required
@require_GET
def impact_person(request, cohort_slug, membership_id):
    """A trainer coaches from one supervisor's results (the threshold holds here too) and
    the self-evaluations they chose to share."""
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    supervisor = get_object_or_404(
        Membership.objects.joined_participants().select_related("user", "cohort__programme"),
        id=membership_id,
        cohort=membership.cohort,
    )
    return render(
        request,
        "impact/person.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "supervisor": supervisor,
            "results_html": _results_html(request, supervisor, membership, prompt=False),
            "shared": WeeklyReflection.objects.filter(
                membership=supervisor, shared_with_trainer=True
            )[:52],
        },
    )


@login_required
@require_GET
def impact_export(request, cohort_slug, fmt):
    """Aggregated results only, with the same rule as the pages: per small group and for the
    cohort, per wave and item, built from parts of N answers or more."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    if fmt not in FORMATS:
        raise Http404
    cohort = membership.cohort
    language = _language(request)
    header = [
        _("Survey"),
        _("Small group"),
        _("Wave"),
        _("Theme"),
        _("Item"),
        _("Answers"),
        _("Mean"),
        *[str(label) for _value, label in SCALE_LABELS[:5]],
    ]
    rows = []
    slices = [(None, _("Whole cohort"))] + [
        (group.id, group.name) for group in cohort.small_groups.order_by("name")
    ]
    for group_id, group_name in slices:
        for result in selectors.cohort_results(cohort, group_id=group_id, language=language):
            for row in [*result.themes, *result.items]:
                for wave, cell in zip(result.waves, row.cells, strict=True):
                    if cell is None:
                        continue
                    rows.append(
                        [
                            result.survey.title,
                            group_name,
                            wave.get_kind_display(),
                            row.item.theme if row.item else row.label,
                            row.label if row.item else "",
                            cell.n,
                            round(cell.mean, 2),
                            *[f"{share} %" for share in cell.shares],
                        ]
                    )
    return table_response(_("team survey results"), fmt, header, rows)
