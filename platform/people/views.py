from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import membership_get
from polku.calendars import calendar_build, events_for
from polku.exports import table_response

from . import services, sso
from .forms import (
    ImportConfirmForm,
    InvitationAcceptForm,
    LanguageForm,
    ParticipantsImportForm,
    SignOnForm,
)
from .language import language_cookie_set
from .models import Invitation, Membership, Role


@login_required
def home(request):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("cohort__organisation")
    )
    if len(memberships) == 1:
        # Each role lands where its work is: participants on their path, trainers on the
        # cohort overview, organisers on the figures.
        membership = memberships[0]
        landing = {Role.TRAINER: "cohort_overview", Role.ORGANISER: "progress_dashboard"}
        return redirect(landing.get(membership.role, "cohort_path"), membership.cohort.slug)
    if not memberships and not request.user.is_staff:
        # No cohort: a team member who coaches their supervisor has only their mentoring.
        return redirect("mentoring_home")
    return render(request, "people/home.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
@login_required
def ping(request):
    """The lightest authenticated page (GET) and form post (POST, CSRF-checked): a keep-alive
    for long forms, and the benchmarks' baselines."""
    return HttpResponse("ok", content_type="text/plain")


def safe_url(request, url: str, default: str) -> str:
    """`url` if it stays on this site, else `default`: where a "next" may send someone."""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def admin_login(request):
    """Wagtail's /admin/login/ is the site's login, which limits failed attempts."""
    next_url = safe_url(request, request.GET.get("next", ""), "/admin/")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def not_here(request):
    raise Http404


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """Single sign-on: the person's work address says which organisation's identity provider
    signs them in; the page then links there (a link, not a redirect: see settings)."""
    form = SignOnForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    organisation = form.organisation if request.method == "POST" and form.is_valid() else None
    next_url = safe_url(request, request.POST.get("next") or request.GET.get("next", ""), "")
    return render(
        request,
        "people/sso_start.html",
        {
            "form": form,
            "organisation": organisation,
            "next": next_url,
            "continue_url": organisation and sso.login_url(organisation, next_url),
        },
    )


@require_POST
def language_set(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown language."))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    next_url = safe_url(request, form.cleaned_data["next"], "/")
    return language_cookie_set(redirect(next_url), language)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(
            request,
            "people/invitation_invalid.html",
            {
                "reason": _(
                    "This invitation link is not valid. Check that the whole "
                    "address was copied, or ask your organiser for a new one."
                )
            },
            status=404,
        )
    if request.user == invitation.membership.user:  # joined, and here again: in you go
        services.memberships_join(user=request.user)
        return redirect("cohort_path", cohort_slug=invitation.membership.cohort.slug)
    if invitation.accepted_at is not None:
        messages.info(request, _("You have already joined. Log in with your email and password."))
        return redirect("account_login")
    if invitation.is_expired:
        return render(
            request,
            "people/invitation_invalid.html",
            {"reason": _("This invitation has expired. Ask your organiser to send you a new one.")},
            status=410,
        )
    user = invitation.membership.user
    organisation = sso.password_refused(user.email)
    if organisation is not None:
        # The organisation signs its people in itself: joining is signing in there.
        return render(
            request,
            "people/invitation_login.html",
            {
                "invitation": invitation,
                "login_url": sso.login_url(organisation, request.path),
                "organisation": organisation,
            },
        )
    if user.has_usable_password():
        # An account of its own already: joining is logging in to it, never a new password.
        login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "people/invitation_login.html",
            {"invitation": invitation, "login_url": login_url},
        )
    form = InvitationAcceptForm(
        request.POST or None, user=user, initial={"name": user.get_full_name()}
    )
    if request.method == "POST" and form.is_valid():
        user = services.invitation_accept(
            invitation=invitation,
            password=form.cleaned_data["password1"],
            name=form.cleaned_data["name"],
        )
        login(request, user, backend="polku.people.auth.ModelBackend")
        messages.success(request, _("Welcome to Polku!"))
        return language_cookie_set(
            redirect("cohort_path", cohort_slug=invitation.membership.cohort.slug),
            user.language,
        )
    return render(
        request, "people/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def participants_import(request, cohort_slug):
    """Step 1: the organiser uploads a CSV file and sees what it would do: who is new, who is
    already in, which rows are wrong and why, which small groups would be created. Nothing is
    written and no email goes out until they confirm (step 2)."""
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    form = ParticipantsImportForm(request.POST or None, request.FILES or None)
    context = {"membership": membership, "cohort": membership.cohort, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        context["plan"] = services.participants_csv_read(cohort=membership.cohort, data=data)
        context["confirm"] = ImportConfirmForm.for_data(data)
    return render(request, "people/participants_import.html", context)


@login_required
@require_POST
def participants_import_confirm(request, cohort_slug):
    """Step 2: the file the organiser saw, signed into the preview page, is imported and the
    new people are invited. Read again: who joined meanwhile is not invited twice."""
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    confirm = ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, _("The preview is too old. Upload the file again."))
        return redirect("participants_import", cohort_slug=cohort_slug)
    report = services.participants_import_csv(
        cohort=membership.cohort, data=confirm.data_bytes(), by=request.user
    )
    return render(
        request,
        "people/participants_import.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "form": ParticipantsImportForm(),
            "report": report,
        },
    )


@login_required
def participants_import_template(request, cohort_slug):
    """A CSV file to fill in: the columns and an example row, as Excel opens it."""
    membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    header = [_("name"), _("email"), _("group")]
    example = [_("Maija Meikäläinen"), "maija.meikalainen@example.com", _("Group 1")]
    return table_response(_("participants"), "csv", header, [example])


@login_required
@require_POST
def invitation_resend(request, cohort_slug, membership_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    invitee = get_object_or_404(Membership, id=membership_id, cohort=membership.cohort)
    if invitee.has_joined:
        messages.info(request, _("%(name)s has already joined.") % {"name": invitee.user})
    else:
        Invitation.objects.filter(membership=invitee, accepted_at=None).delete()
        services.invitation_create(membership=invitee)
        messages.success(
            request,
            _("A new invitation is on its way to %(email)s.") % {"email": invitee.user.email},
        )
    return redirect("cohort_overview", cohort_slug=cohort_slug)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The person's private calendar feed: its address to add to Outlook, Google or the
    phone's calendar, and a new address that stops the old one."""
    user = request.user
    if request.method == "POST" or not user.calendar_key:
        renewing = bool(user.calendar_key)
        services.calendar_key_renew(user=user)
        if renewing:
            messages.success(request, _("A new address is made. The old one no longer works."))
        if request.method == "POST":
            return redirect("calendar_settings")
    feed = request.build_absolute_uri(reverse("calendar_feed", args=[user.calendar_key]))
    return render(
        request,
        "people/calendar.html",
        {"feed_url": feed, "webcal_url": "webcal://" + feed.partition("://")[2]},
    )


def calendar_feed(request, key):
    """The feed itself, read by calendar apps without a login: the key is the secret."""
    user = services.calendar_user(key)
    if user is None:
        raise Http404
    with translation.override(services.calendar_language(user)):
        content = calendar_build(events_for(user), name=_("Polku: my path"))
    return HttpResponse(
        content,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="polku.ics"',
            "Cache-Control": "private, max-age=900",
            "X-Robots-Tag": "noindex",
        },
    )
