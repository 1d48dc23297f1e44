"""Progress pages: the cohort dashboard with its drill-downs and exports (trainers and
organisers; organisers see figures, never answers or conversations), attendance checklists
and QR check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import STAFF_ROLES, membership_get, small_group_get
from polku.exports import FORMATS, table_response
from polku.forms import RemindForm
from polku.panels import DASHBOARD, panels
from polku.people.models import Membership, Role
from polku.qr import qr_svg
from programmes import facts as path_facts
from programmes.access import training_day_get

from . import exports, selectors, services
from .forms import AttendanceSheetForm
from .models import Attendance


@login_required
@require_GET
def progress_dashboard(request, cohort_slug):
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    return render(
        request,
        "progress/dashboard.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            **selectors.dashboard(membership.cohort),
            "panels": panels(DASHBOARD, membership=membership),
        },
    )


@login_required
@require_POST
def progress_nudge(request, cohort_slug):
    """A trainer or organiser reminds one person who is behind, or those ticked, by email of
    what they miss."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    behind = selectors.behind_people(membership.cohort, page_titles={})
    form = RemindForm(request.POST, people=[(p.membership_id, p.name) for p in behind])
    if form.is_valid():
        services.nudges_request(
            cohort=membership.cohort, membership_ids=form.cleaned_data["chosen"]
        )
        messages.success(request, form.sent_message())
    else:
        messages.error(request, _("Choose whom to remind: those who are behind."))
    return redirect("progress_dashboard", cohort_slug=cohort_slug)


@login_required
@require_GET
def progress_group(request, cohort_slug, group_id):
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    group = small_group_get(membership, group_id)
    return render(
        request,
        "progress/group.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "group": group,
            "members": selectors.group_members(group),
        },
    )


@login_required
@require_GET
def progress_people(request, cohort_slug):
    """Everyone in the cohort with their figures, a page at a time; or only those behind."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    behind_only = request.GET.get("behind") == "1"
    return render(
        request,
        "progress/people.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "behind_only": behind_only,
            "page_obj": selectors.people_page(
                membership.cohort, behind_only=behind_only, number=request.GET.get("page")
            ),
        },
    )


@login_required
@require_GET
def progress_person(request, cohort_slug, membership_id):
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    member = (
        Membership.objects.filter(id=membership_id, cohort=membership.cohort, role=Role.PARTICIPANT)
        .select_related("user", "small_group", "progress")
        .first()
    )
    if member is None:
        raise Http404
    reasons = {}
    if membership.is_trainer:  # why someone was away is for their trainers only
        reasons = dict(
            Attendance.objects.filter(participant=member)
            .exclude(reason="")
            .values_list("training_day_id", "reason")
        )
    items = selectors.person_year(member)
    for item in items:
        item.reason = reasons.get(item.page_id, "") if item.kind == "day" else ""
    return render(
        request,
        "progress/person.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "member": member,
            "figures": getattr(member, "progress", None),
            "items": items,
        },
    )


@login_required
@require_GET
def progress_export(request, cohort_slug, table, fmt):
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    if fmt not in FORMATS or table not in ("people", "attendance"):
        raise Http404
    cohort = membership.cohort
    name = f"{cohort.slug}-{_('people') if table == 'people' else _('attendance')}"
    if table == "people":
        header, rows = exports.people_table(cohort)
    else:
        header, rows = exports.attendance_table(cohort, with_reasons=membership.is_trainer)
    return table_response(name, fmt, header, rows)


# -- attendance ----------------------------------------------------------------------------


def _day(request, cohort_slug, page_id, role):
    """The training day through `access`, with the cohort's dates for it."""
    membership, page = training_day_get(request.user, cohort_slug, page_id, [role])
    schedule = path_facts.cohort_day(membership.cohort_id, page.id)
    return membership, page, schedule


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, cohort_slug, page_id):
    """The trainer's checklist for a day, made for a phone: everyone in the cohort, present
    or absent (with a reason), and whether a missed day has been followed up."""
    membership, page, schedule = _day(request, cohort_slug, page_id, Role.TRAINER)
    cohort = membership.cohort
    members = list(
        Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT)
        .select_related("user", "small_group")
        .order_by("small_group__name", "user__first_name", "user__last_name")
    )
    if request.method == "POST":
        form = AttendanceSheetForm(request.POST, members=members)
        if form.is_valid():
            changed = services.attendance_mark(
                cohort=cohort, training_day=page, marks=form.marks(), trainer=request.user
            )
            messages.success(
                request,
                ngettext(
                    "Attendance saved (%(count)s change).",
                    "Attendance saved (%(count)s changes).",
                    changed,
                )
                % {"count": changed},
            )
        else:
            messages.error(request, _("Unknown choice."))
        return redirect("attendance", cohort.slug, page.id)
    marks = {
        a.participant_id: a for a in Attendance.objects.filter(cohort=cohort, training_day=page)
    }
    rows = [{"member": m, "mark": marks.get(m.id)} for m in members]
    return render(
        request,
        "progress/attendance.html",
        {
            "membership": membership,
            "cohort": cohort,
            "page": page,
            "schedule": schedule,
            "rows": rows,
            "present": sum(1 for r in rows if r["mark"] and r["mark"].is_present),
        },
    )


@login_required
@require_GET
def attendance_qr(request, cohort_slug, page_id):
    """The QR code a trainer shows on the day; participants scan it to check in."""
    membership, page, schedule = _day(request, cohort_slug, page_id, Role.TRAINER)
    token = services.check_in_token(membership.cohort, page)
    url = request.build_absolute_uri(reverse("check_in", args=[cohort_slug, page.id, token]))
    return render(
        request,
        "progress/attendance_qr.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": page,
            "schedule": schedule,
            "url": url,
            "qr_svg": qr_svg(url),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, cohort_slug, page_id, token):
    membership, page, schedule = _day(request, cohort_slug, page_id, Role.PARTICIPANT)
    if not services.check_in_token_valid(token, membership.cohort, page) or schedule is None:
        raise Http404
    attendance = Attendance.objects.filter(participant=membership, training_day=page).first()
    if request.method == "POST" and attendance is None:
        try:
            attendance = services.check_in(membership=membership, schedule=schedule)
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(
        request,
        "progress/check_in.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": page,
            "schedule": schedule,
            "attendance": attendance,
            "is_open": services.check_in_window(schedule),
        },
    )
