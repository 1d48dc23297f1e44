"""Progress pages: the cohort dashboard with its drill-downs and exports (trainers and
organisers; organisers see figures, never answers or conversations), attendance checklists
and QR check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.access import STAFF_ROLES, membership_get, small_group_get
from polku.exports import FORMATS, table_response
from polku.people.models import Membership, Role
from polku.qr import qr_svg
from programmes.access import training_day_get
from programmes.models import TrainingDaySchedule

from . import selectors, services
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
        },
    )


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
    if membership.role == Role.TRAINER:  # why someone was away is for their trainers only
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
        header, rows = _people_table(cohort)
    else:
        header, rows = _attendance_table(cohort, with_reasons=membership.role == Role.TRAINER)
    return table_response(name, fmt, header, rows)


def _people_table(cohort):
    header = [
        _("Name"),
        _("Email"),
        _("Small group"),
        _("Training days attended"),
        _("Training days held"),
        _("Absences"),
        _("Submitted on time"),
        _("Submitted late"),
        _("Missing"),
        _("Assignments due"),
        _("Reviewed"),
        _("Live answers"),
        _("Posts and comments"),
        _("Last active"),
        _("Behind"),
    ]

    def rows():
        for member in selectors.people_table(cohort).iterator(chunk_size=500):
            p = getattr(member, "progress", None)
            yield [
                member.user.get_full_name(),
                member.user.email,
                member.small_group.name if member.small_group else "",
                *(
                    [
                        p.days_attended,
                        p.days_held,
                        p.days_absent,
                        p.assignments_on_time,
                        p.assignments_late,
                        p.assignments_missing,
                        p.assignments_due,
                        p.assignments_reviewed,
                        p.live_answers,
                        p.workspace_activity,
                        p.last_active_on,
                        _("Yes") if p.behind else _("No"),
                    ]
                    if p
                    else [""] * 12
                ),
            ]

    return header, rows()


def _attendance_table(cohort, with_reasons: bool):
    now = timezone.now()
    days = list(
        TrainingDaySchedule.objects.filter(cohort=cohort, starts_at__lte=now).select_related("page")
    )
    reasons = {}
    if with_reasons:
        reasons = {
            (participant_id, day_id): reason
            for participant_id, day_id, reason in Attendance.objects.filter(cohort=cohort)
            .exclude(reason="")
            .values_list("participant_id", "training_day_id", "reason")
        }
    header = [_("Name"), _("Small group")] + [
        f"{timezone.localtime(d.starts_at):%d.%m.%Y} {d.page.title}" for d in days
    ]

    def rows():
        for member in selectors.people_table(cohort).iterator(chunk_size=500):
            p = getattr(member, "progress", None)
            statuses = p.days if p else {}
            row = [
                member.user.get_full_name() or member.user.email,
                member.small_group.name if member.small_group else "",
            ]
            for day in days:
                status = statuses.get(str(day.page_id), "unmarked")
                text = str(selectors.DAY_LABELS[status])
                reason = reasons.get((member.id, day.page_id))
                row.append(f"{text}: {reason}" if reason else text)
            yield row

    return header, rows()


# -- attendance ----------------------------------------------------------------------------


def _day(request, cohort_slug, page_id, role):
    """The training day through `access`, with the cohort's dates for it."""
    membership, page = training_day_get(request.user, cohort_slug, page_id, [role])
    schedule = TrainingDaySchedule.objects.filter(cohort=membership.cohort, page=page).first()
    return membership, page, schedule


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, cohort_slug, page_id):
    """The trainer's checklist for a day, made for a phone: everyone in the cohort, present
    or absent (with a reason), and whether a missed day has been followed up."""
    membership, page, schedule = _day(request, cohort_slug, page_id, Role.TRAINER)
    cohort = membership.cohort
    if request.method == "POST":
        marks = {}
        for key in request.POST:
            if key.startswith("status-"):
                try:
                    member_id = int(key.removeprefix("status-"))
                except ValueError:
                    continue
                marks[member_id] = (
                    request.POST[key],
                    request.POST.get(f"reason-{member_id}", ""),
                    request.POST.get(f"followed-{member_id}") == "on",
                )
        try:
            changed = services.attendance_mark(
                cohort=cohort, training_day=page, marks=marks, trainer=request.user
            )
            messages.success(
                request, _("Attendance saved (%(count)s changes).") % {"count": changed}
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("attendance", cohort.slug, page.id)
    members = (
        Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT)
        .select_related("user", "small_group")
        .order_by("small_group__name", "user__first_name", "user__last_name")
    )
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
            "present": sum(1 for r in rows if r["mark"] and r["mark"].status == "present"),
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
