"""The cohort's figures as tables (header, rows) for CSV and Excel: rows are streamed, a few
hundred participants at a time."""

from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import facts as path_facts

from . import selectors
from .models import Attendance


def people_table(cohort) -> tuple[list, object]:
    """Every participant with their figures, one row each."""
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


def attendance_table(cohort, with_reasons: bool) -> tuple[list, object]:
    """Every participant's attendance per day held; trainers' tables carry the reasons."""
    now = timezone.now()
    days = [day for day in path_facts.cohort_calendar(cohort.id)[0] if day.starts_at <= now]
    reasons = {}
    if with_reasons:
        reasons = {
            (participant_id, day_id): reason
            for participant_id, day_id, reason in Attendance.objects.filter(cohort=cohort)
            .exclude(reason="")
            .values_list("participant_id", "training_day_id", "reason")
        }
    header = [_("Name"), _("Small group")] + [
        f"{timezone.localtime(d.starts_at):%d.%m.%Y} {d.title}" for d in days
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
