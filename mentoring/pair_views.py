"""The pair's space and the person's own mentoring: what the two of a pair see and do (on a
phone), the supervisor's invitations to team members who coach them, the team member's
minimal account, and the certificate of participation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.people.forms import InvitationAcceptForm
from polku.people.language import language_cookie_set
from polku.people.models import User
from programmes.models import ProgrammePage

from . import services
from .access import pair_get, upward_programme_get
from .certificate import certificate_pdf
from .forms import CheckInForm, CoachInviteForm, GoalForm, NoteForm, SessionForm
from .guidance import COACHING_GUIDANCE, QUESTION_BANK
from .models import (
    CoachInvitation,
    GuideAudience,
    MentoringGuidePage,
    Milestone,
    Pair,
    PairStatus,
    Recognition,
)

NOTES_SHOWN = 30
SESSIONS_SHOWN = 12


@login_required
@require_GET
def mentoring_home(request):
    """My mentoring: my pairs (with a check-in due), my coaching invitations, my
    recognition."""
    user = request.user
    pairs = list(
        Pair.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("programme", "mentor", "mentee")
        .order_by("status", "-created_at")
    )
    due = services.checkins_unanswered(pairs)
    upward = list(services.upward_programmes(user))
    return render(
        request,
        "mentoring/home.html",
        {
            "pairs": [(pair, (pair.id, user.id) in due, pair.other(user)) for pair in pairs],
            "upward": upward,
            "recognitions": Recognition.objects.filter(user=user).select_related("programme"),
        },
    )


def _guides(pair: Pair, user):
    """The mentoring guides of the programme's path (or, organisation-wide, of the
    organisation's paths) meant for this side of the pair."""
    programme = pair.programme
    if programme.cohort_id:
        parents = ProgrammePage.objects.filter(id=programme.cohort.programme_id)
    else:
        parents = ProgrammePage.objects.filter(organisation_id=programme.organisation_id)
    paths = list(parents.values_list("path", flat=True))
    if not paths:
        return []
    side = GuideAudience.MENTORS if user.id == pair.mentor_id else GuideAudience.MENTEES
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return list(
        MentoringGuidePage.objects.live()
        .filter(under, audience__in=[GuideAudience.EVERYONE, side])
        .order_by("path")
        .only("id", "title")
    )


def _pair_page(request, pair: Pair, **forms):
    """The pair's page; a refused form comes back as typed (nothing typed is lost)."""
    user = request.user
    today = timezone.localdate()
    sessions = list(pair.sessions.order_by("-held_on", "-id")[:SESSIONS_SHOWN])
    context = {
        "pair": pair,
        "programme": pair.programme,
        "other": pair.other(user),
        "is_mentee": user.id == pair.mentee_id,
        "is_open": pair.status != PairStatus.ENDED,
        "hours": services.pair_hours(pair),
        "upcoming": [s for s in sessions if s.held_on > today],
        "past": [s for s in sessions if s.held_on <= today],
        "goals": pair.goals.all(),
        "notes": pair.notes.select_related("author")[:NOTES_SHOWN],
        "checkin_due": (pair.id, user.id) in services.checkins_unanswered([pair], today),
        "milestones": Milestone.objects.filter(pair=pair),
        "recognitions": Recognition.objects.filter(programme=pair.programme, user=user),
        "guides": _guides(pair, user),
        "question_bank": QUESTION_BANK if pair.programme.is_upward else [],
        "coaching_guidance": (
            COACHING_GUIDANCE if pair.programme.is_upward and user.id == pair.mentor_id else []
        ),
        "session_form": SessionForm(initial={"held_on": today, "minutes": 30}),
        "goal_form": GoalForm(auto_id="goal_%s"),  # both forms have a "text"
        "note_form": NoteForm(auto_id="note_%s"),
        **forms,
    }
    return render(request, "mentoring/pair.html", context)


@login_required
@require_GET
def mentoring_pair(request, pair_id):
    return _pair_page(request, pair_get(request.user, pair_id))


def _refused_or_saved(request, write, saved_message: str) -> bool:
    """Runs a one-field write (a goal, a note, a status): its refusal, or its success, is
    said in a message."""
    try:
        write()
    except services.MentoringRefused as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, saved_message)
    return True


def _form_invalid(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def mentoring_session_log(request, pair_id):
    pair = pair_get(request.user, pair_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_log(pair=pair, by=request.user, **form.cleaned_data)
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("mentoring_pair", pair_id=pair.id)
    return _pair_page(request, pair, session_form=form)


@login_required
@require_POST
def mentoring_session_cancel(request, pair_id, session_id):
    pair = pair_get(request.user, pair_id)
    _refused_or_saved(
        request,
        lambda: services.session_cancel(pair=pair, session_id=session_id, by=request.user),
        _("The session is removed."),
    )
    return redirect("mentoring_pair", pair_id=pair.id)


def _text_add(request, pair_id, form_class, write, saved_message: str, anchor: str):
    """A goal or a note: one text field, written through `write`, back to its section."""
    pair = pair_get(request.user, pair_id)
    form = form_class(request.POST)
    if form.is_valid():
        _refused_or_saved(
            request,
            lambda: write(pair=pair, by=request.user, text=form.cleaned_data["text"]),
            saved_message,
        )
    else:
        _form_invalid(request, form)
    return redirect(reverse("mentoring_pair", args=[pair.id]) + anchor)


@login_required
@require_POST
def mentoring_goal_add(request, pair_id):
    return _text_add(
        request, pair_id, GoalForm, services.goal_add, _("The goal is saved."), "#goals"
    )


@login_required
@require_POST
def mentoring_goal_done(request, pair_id, goal_id):
    pair = pair_get(request.user, pair_id)
    _refused_or_saved(
        request,
        lambda: services.goal_done_set(
            pair=pair, by=request.user, goal_id=goal_id, done=request.POST.get("done") == "1"
        ),
        _("The goal is updated."),
    )
    return redirect(reverse("mentoring_pair", args=[pair.id]) + "#goals")


@login_required
@require_POST
def mentoring_note_add(request, pair_id):
    return _text_add(
        request, pair_id, NoteForm, services.note_add, _("The note is saved."), "#notes"
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_check_in(request, pair_id):
    """The three-question check-in, for the programme's owner's eyes only."""
    pair = pair_get(request.user, pair_id)
    refusal = services.checkin_refusal(pair)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_save(pair=pair, by=request.user, **form.cleaned_data)
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Thank you. Your check-in goes to the programme's owner."))
            return redirect("mentoring_pair", pair_id=pair.id)
    return render(
        request,
        "mentoring/check_in.html",
        {"pair": pair, "other": pair.other(request.user), "form": form, "refusal": refusal},
        status=200,
    )


@login_required
@require_POST
def mentoring_pair_end(request, pair_id):
    """The one coached ends the coaching (and their next invited coach is asked)."""
    pair = pair_get(request.user, pair_id)
    if request.user.id != pair.mentee_id:
        raise Http404
    _refused_or_saved(
        request,
        lambda: services.pair_status_set(pair=pair, status=PairStatus.ENDED),
        _("The coaching has ended. Thank you both!"),
    )
    return redirect("mentoring_home")


@login_required
@require_GET
def mentoring_guide(request, pair_id, page_id):
    pair = pair_get(request.user, pair_id)
    guide = next((g for g in _guides(pair, request.user) if g.id == page_id), None)
    if guide is None:
        raise Http404
    return render(request, "mentoring/guide.html", {"pair": pair, "page": guide.specific})


@login_required
@require_GET
def mentoring_certificate(request, pair_id):
    pair = pair_get(request.user, pair_id)
    pdf = certificate_pdf(pair=pair, user=request.user, hours=services.pair_hours(pair))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="polku-certificate.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_coaches(request, programme_id):
    """The supervisor's team members asked to coach them: one at a time, in the order
    added."""
    programme = upward_programme_get(request.user, programme_id)
    form = CoachInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "resend" in request.POST:
        invitation = CoachInvitation.objects.filter(
            programme=programme, supervisor=request.user, id=request.POST["resend"]
        ).first()
        if invitation is None:
            raise Http404
        if _refused_or_saved(
            request,
            lambda: services.coach_invitation_resend(invitation=invitation),
            _("A new link is on its way."),
        ):
            return redirect("mentoring_coaches", programme_id=programme.id)
    elif request.method == "POST" and form.is_valid():
        try:
            invitation, sent = services.coach_invite(
                programme=programme, supervisor=request.user, **form.cleaned_data
            )
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s is invited.") % {"name": invitation.name}
                if sent
                else _("%(name)s is next in line: invited when your current coaching ends.")
                % {"name": invitation.name},
            )
            return redirect("mentoring_coaches", programme_id=programme.id)
    invitations = CoachInvitation.objects.filter(programme=programme, supervisor=request.user)
    return render(
        request,
        "mentoring/coaches.html",
        {
            "programme": programme,
            "form": form,
            "invitations": invitations,
            "question_bank": QUESTION_BANK,
        },
    )


@require_http_methods(["GET", "POST"])
def mentoring_join(request, token):
    """A team member's link: say yes to coaching with a minimal account (or one's own, when
    logged in), which reaches only their pair."""
    invitation = services.coach_invitation_from_token(token)
    if invitation is None:
        return render(
            request,
            "people/invitation_invalid.html",
            {
                "reason": _(
                    "This invitation link is not valid. Check that the whole address was "
                    "copied, or ask the person who invited you for a new one."
                )
            },
            status=404,
        )
    if (
        invitation.pair_id
        and request.user.is_authenticated
        and invitation.pair.has_member(request.user)
    ):
        return redirect("mentoring_pair", pair_id=invitation.pair_id)
    if invitation.accepted_at:
        messages.info(request, _("You have already said yes. Log in with your email and password."))
        return redirect(reverse("account_login") + "?next=" + reverse("mentoring_home"))
    refusal = services.coach_invitation_refusal(invitation)
    if refusal:
        return render(request, "people/invitation_invalid.html", {"reason": refusal}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context = {"invitation": invitation, "supervisor": invitation.supervisor}
    if existing is not None and request.user != existing:
        context["login_url"] = reverse("account_login") + "?next=" + request.path
        return render(request, "mentoring/join.html", context)
    form = None
    if existing is None:
        form = InvitationAcceptForm(
            request.POST if request.method == "POST" else None,
            user=User(email=invitation.email),
            initial={"name": invitation.name},
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            pair = services.coach_invitation_accept(
                invitation=invitation,
                user=existing,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                language=get_language(),
            )
        except services.MentoringRefused as refused:
            messages.error(request, refused.message)
        else:
            if existing is None:
                login(request, pair.mentor, backend="polku.people.auth.ModelBackend")
            messages.success(
                request,
                _("Welcome! This is your coaching space with %(name)s.")
                % {"name": invitation.supervisor.get_full_name()},
            )
            return language_cookie_set(
                redirect("mentoring_pair", pair_id=pair.id), pair.mentor.language or get_language()
            )
    context["form"] = form
    return render(request, "mentoring/join.html", context)
