"""Writes of mentoring: programmes, profiles, pairs, their sessions, goals, notes and
check-ins, upward-coaching invitations, recognition, and the programme's figures. Each write
refuses bad input with a message for the person (MentoringRefused), never a 500."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.caching import cache_delete, cache_get, cache_set
from polku.coalescing import Coalescing, enqueue_after_commit
from polku.links import link_token, link_value
from polku.people.models import Membership, Role, User
from polku.people.services import name_parts
from programmes.live.summaries import words_of

from .models import (
    CheckIn,
    CoachInvitation,
    Goal,
    MentoringProgramme,
    MentoringSession,
    MentorProfile,
    Milestone,
    MilestoneKind,
    Note,
    Pair,
    PairStatus,
    ProgrammeKind,
    Recognition,
    Risk,
)

INVITATION_SALT = "polku.mentoring.coach-invitation"
INVITATION_DAYS = 30
LOW_SCORE = 2  # a check-in score at or below this puts the pair at risk
PACE_GRACE_DAYS = 28  # no pair is "behind" in its first four weeks
PACE_SLACK = Decimal("0.75")  # behind: under three quarters of the hours the pace needs

FIGURES = Coalescing(
    model=MentoringProgramme,
    wanted="rebuild_wanted_at",
    since="rebuilding_since",
    task="mentoring.tasks.programme_figures_build",
    countdown=2.0,
    stale_after=timedelta(minutes=5),
    lost_after=timedelta(seconds=20),
)


class MentoringRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# The programme and its people


def programme_create(*, owner, **fields) -> MentoringProgramme:
    """A programme, validated as a whole (dates forwards, the cohort of the same
    organisation, a focus area said in words when it is "something else")."""
    programme = MentoringProgramme(owner=owner, **fields)
    try:
        programme.full_clean()
    except ValidationError as error:
        raise MentoringRefused(" ".join(error.messages)) from error
    programme.save()
    nav_forget()
    return programme


def programme_people(programme: MentoringProgramme):
    """Who may be in the programme's pairs: the cohort's people (joined or not), or the
    whole organisation's for an organisation-wide programme, and the organisation's people
    with a mentoring profile (a junior colleague who mentors in reverse, a team member who
    coaches)."""
    members = Membership.objects.filter(cohort__organisation_id=programme.organisation_id)
    if programme.cohort_id:
        members = members.filter(cohort_id=programme.cohort_id)
    profiled = MentorProfile.objects.filter(organisation_id=programme.organisation_id)
    return User.objects.filter(
        Q(id__in=members.values("user_id")) | Q(id__in=profiled.values("user_id")),
        is_active=True,
    )


def profile_save(
    *, user, organisation, can_help_with: str = "", wants_help_with: str = "", capacity: int = 1
) -> MentorProfile:
    profile, _created = MentorProfile.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "can_help_with": can_help_with.strip(),
            "wants_help_with": wants_help_with.strip(),
            "capacity": capacity,
        },
    )
    return profile


def supervisor_ids(user) -> set[int]:
    """Whose team this person is in, as far as mentoring knows: the supervisors they coach in
    upward coaching, and those who invited them to (accepted or not). One query."""
    invited = CoachInvitation.objects.filter(email__iexact=user.email).values("supervisor_id")
    coached = Q(pairs_as_mentee__mentor=user, pairs_as_mentee__programme__kind=ProgrammeKind.UPWARD)
    return set(
        User.objects.filter(coached | Q(id__in=invited)).values_list("id", flat=True).distinct()
    )


@dataclass(frozen=True)
class Suggestion:
    user: User
    can_help_with: str
    capacity_left: int
    matches: list[str]  # the words of the mentee's wishes the mentor can help with


def _words(text: str, language: str) -> dict[str, str]:
    """Lemma -> the word as written, of the meaningful words of a text."""
    return dict(reversed(words_of(text, language)))  # the first spelling wins


def mentor_suggestions(programme: MentoringProgramme, mentee, limit: int = 8) -> list[Suggestion]:
    """Mentors for this mentee, best first: those whose "can help with" meets the mentee's
    "wants to learn", with room left; never the mentee themself, nor (in classic mentoring)
    their own supervisor."""
    profiles = list(
        MentorProfile.objects.filter(
            organisation_id=programme.organisation_id,
            user__in=programme_people(programme),
            user__is_active=True,
        )
        .exclude(user=mentee)
        .exclude(can_help_with="")
        .select_related("user")
        .annotate(
            taken=Count(
                "user__pairs_as_mentor",
                filter=Q(user__pairs_as_mentor__status=PairStatus.ACTIVE),
            )
        )
    )
    excluded = supervisor_ids(mentee) if programme.kind == ProgrammeKind.CLASSIC else set()
    wanted = MentorProfile.objects.filter(
        user=mentee, organisation_id=programme.organisation_id
    ).values_list("wants_help_with", flat=True)
    language = programme.cohort.language if programme.cohort_id else settings.LANGUAGE_CODE
    wishes = _words(" ".join(wanted), language)
    suggestions = []
    for profile in profiles:
        left = profile.capacity - profile.taken
        if left <= 0 or profile.user_id in excluded:
            continue
        skills = _words(profile.can_help_with, language)
        matches = [wishes[stem] for stem in wishes if stem in skills]
        suggestions.append(Suggestion(profile.user, profile.can_help_with, left, matches))
    suggestions.sort(key=lambda s: (-len(s.matches), -s.capacity_left, s.user.email))
    return suggestions[:limit]


def upward_programmes(user):
    """The upward-coaching programmes, running or to come, in which this person is a
    supervisor who may invite team members to coach them."""
    supervised = Membership.objects.filter(user=user, role=Role.PARTICIPANT)
    return MentoringProgramme.objects.filter(
        kind=ProgrammeKind.UPWARD, ends_on__gte=timezone.localdate()
    ).filter(
        Q(cohort__in=supervised.values("cohort_id"))
        | Q(cohort=None, organisation__in=supervised.values("cohort__organisation_id"))
    )


NAV_SECONDS = 300


def _nav_key(user_id: int) -> str:
    # The generation changes with each new programme, which may concern a whole cohort.
    return f"mentoring:nav:{cache_get('mentoring:nav-generation') or 0}:{user_id}"


def nav_forget(*user_ids) -> None:
    """The menu asks again for these people (a pair made or ended) or, with none named, for
    everyone (a new programme)."""
    if not user_ids:
        cache_set("mentoring:nav-generation", uuid.uuid4().hex, timeout=None)
    for user_id in user_ids:
        cache_delete(_nav_key(user_id))


def has_mentoring(user) -> bool:
    """Whether the person has anything in mentoring: a pair, an open coach invitation, or an
    upward-coaching programme running in a cohort where they are a participant. Cached: the
    menu asks on every page."""
    key = _nav_key(user.id)
    known = cache_get(key)
    if known is not None:
        return known
    answer = (
        Pair.objects.filter(Q(mentor=user) | Q(mentee=user)).exists()
        or upward_programmes(user).exists()
    )
    cache_set(key, answer, timeout=NAV_SECONDS)
    return answer


# Pairs


def pair_create(*, programme: MentoringProgramme, mentor, mentee) -> Pair:
    if mentor.id == mentee.id:
        raise MentoringRefused(_("A pair is two people."))
    if programme.ends_on < timezone.localdate():
        raise MentoringRefused(_("This programme has ended."))
    if programme.kind == ProgrammeKind.CLASSIC and mentor.id in supervisor_ids(mentee):
        raise MentoringRefused(
            _("A supervisor is not their own team member's mentor: choose someone else.")
        )
    try:
        with transaction.atomic():
            pair = Pair.objects.create(programme=programme, mentor=mentor, mentee=mentee)
    except IntegrityError as error:
        raise MentoringRefused(_("These two are a pair in this programme already.")) from error
    nav_forget(mentor.id, mentee.id)
    FIGURES.request(programme.id)
    return pair


def pair_status_set(*, pair: Pair, status: str) -> None:
    """Pause, resume or end a pair. Ending an upward coaching sends the supervisor's next
    invitation, if they queued one."""
    if status not in PairStatus.values:
        raise MentoringRefused(_("Unknown status."))
    if pair.status == PairStatus.ENDED:
        raise MentoringRefused(_("This pair has ended."))
    with transaction.atomic():
        Pair.objects.filter(id=pair.id).update(status=status, status_since=timezone.localdate())
        pair.status = status
        if status == PairStatus.ENDED and pair.programme.is_upward:
            coach_invitation_next(programme=pair.programme, supervisor=pair.mentee)
    FIGURES.request(pair.programme_id)


def counted(sessions):
    """The sessions whose day has come: a planned one counts once it is here."""
    return sessions.filter(held_on__lte=timezone.localdate())


def pair_hours(pair: Pair) -> float:
    minutes = counted(pair.sessions).aggregate(total=Sum("minutes"))["total"]
    return (minutes or 0) / 60


def _pair_open(pair: Pair, by) -> None:
    if not pair.has_member(by):
        raise MentoringRefused(_("Only the two of a pair write in its space."))
    if pair.status == PairStatus.ENDED:
        raise MentoringRefused(_("This pair has ended."))


def session_log(
    *, pair: Pair, by, held_on: date, minutes: int, held: bool = True, casual: bool = False
) -> MentoringSession:
    """A session of the pair, logged by one of the two: planned ahead, or held (never in the
    future), within the programme's period, while the pair has not ended."""
    _pair_open(pair, by)
    if held and held_on > timezone.localdate():
        raise MentoringRefused(_("A session in the future cannot have been held yet."))
    if not held and held_on < timezone.localdate():
        raise MentoringRefused(_("A planned session is today or later: log a past one as held."))
    if not 5 <= minutes <= 600:
        raise MentoringRefused(_("A session lasts from 5 minutes to 10 hours."))
    programme = pair.programme
    if not programme.starts_on <= held_on <= programme.ends_on:
        raise MentoringRefused(_("The date is outside the programme's period."))
    session = MentoringSession.objects.create(
        pair=pair, held_on=held_on, minutes=minutes, held=held, casual=casual, logged_by=by
    )
    FIGURES.request(programme.id)
    return session


def session_cancel(*, pair: Pair, session_id: int, by) -> None:
    """A planned session that will not happen (or a logged one entered by mistake)."""
    _pair_open(pair, by)
    pair.sessions.filter(id=session_id).delete()
    FIGURES.request(pair.programme_id)


def _goals_open(pair: Pair, by) -> None:
    """Goals are the mentee's: they set the agenda."""
    _pair_open(pair, by)
    if by.id != pair.mentee_id:
        raise MentoringRefused(_("Goals are written by the one mentored or coached."))


def goal_add(*, pair: Pair, by, text: str) -> Goal:
    _goals_open(pair, by)
    if not text.strip():
        raise MentoringRefused(_("Write the goal first."))
    return Goal.objects.create(pair=pair, text=text.strip())


def goal_done_set(*, pair: Pair, by, goal_id: int, done: bool) -> None:
    _goals_open(pair, by)
    pair.goals.filter(id=goal_id).update(done=done)


def note_add(*, pair: Pair, by, text: str) -> Note:
    _pair_open(pair, by)
    if not text.strip():
        raise MentoringRefused(_("Write the note first."))
    return Note.objects.create(pair=pair, author=by, text=text.strip())


# Check-ins


def _weekly_until(pair_start: date, weekly_weeks: int) -> date:
    """When the weekly check-ins of the first phase end: `weekly_weeks` weeks from the
    Monday of the pair's first week."""
    return pair_start - timedelta(days=pair_start.weekday()) + timedelta(weeks=weekly_weeks)


def period_start(pair_start: date, weekly_weeks: int, day: date) -> date:
    """The check-in period `day` falls in: its week (from Monday) in the first
    `weekly_weeks` weeks of the pair, then its month."""
    weekly_until = _weekly_until(pair_start, weekly_weeks)
    if day < weekly_until:
        return day - timedelta(days=day.weekday())
    return max(day.replace(day=1), weekly_until)


def _next_period(pair_start: date, weekly_weeks: int, start: date) -> date:
    if start < _weekly_until(pair_start, weekly_weeks):
        return start + timedelta(weeks=1)
    return (start.replace(day=1) + timedelta(days=32)).replace(day=1)


def periods_ended(pair_start: date, weekly_weeks: int, until: date) -> list[date]:
    """The starts of the check-in periods from the pair's start that had ended by `until`.
    A first period the pair joined midway (a week that began before it) is not owed."""
    ended = []
    start = period_start(pair_start, weekly_weeks, pair_start)
    if start != pair_start:
        start = _next_period(pair_start, weekly_weeks, start)
    while True:
        following = _next_period(pair_start, weekly_weeks, start)
        if following > until:
            return ended
        ended.append(start)
        start = following


def checkin_refusal(pair: Pair, today: date | None = None) -> str:
    """Why this pair cannot check in now, or "" when it can."""
    today = today or timezone.localdate()
    if pair.programme.ends_on < today:
        return _("This programme has ended: check-ins are closed.")
    if pair.programme.starts_on > today:
        return _("This programme has not started yet.")
    if pair.status != PairStatus.ACTIVE:
        return _("This pair is paused or has ended: check-ins are closed.")
    return ""


def checkin_save(
    *,
    pair: Pair,
    by,
    score: int,
    met: bool,
    not_getting_along: bool = False,
    too_busy: bool = False,
    in_the_way: str = "",
) -> CheckIn:
    """One side's check-in for the current period; answering again changes it."""
    if not pair.has_member(by):
        raise MentoringRefused(_("Only the two of a pair write in its space."))
    refusal = checkin_refusal(pair)
    if refusal:
        raise MentoringRefused(refusal)
    if not 1 <= score <= 5:
        raise MentoringRefused(_("Choose how it is going, from 1 to 5."))
    today = timezone.localdate()
    checkin, _created = CheckIn.objects.update_or_create(
        pair=pair,
        user=by,
        period_start=period_start(pair.started_on, pair.programme.weekly_weeks, today),
        defaults={
            "score": score,
            "met": met,
            "not_getting_along": not_getting_along,
            "too_busy": too_busy,
            "in_the_way": in_the_way.strip(),
            "answered_at": timezone.now(),
        },
    )
    FIGURES.request(pair.programme_id)
    return checkin


def checkins_unanswered(pairs, today: date | None = None) -> set[tuple[int, int]]:
    """(pair id, person id) for each side of these pairs (with their programmes) that has not
    answered the check-in of the current period, where one is open: one query, however many
    pairs. The pair's page, my mentoring and the weekly reminder all ask this."""
    today = today or timezone.localdate()
    open_pairs = [pair for pair in pairs if not checkin_refusal(pair, today)]
    if not open_pairs:
        return set()
    answered = set(
        CheckIn.objects.filter(
            pair__in=[pair.id for pair in open_pairs],
            period_start__gte=today - timedelta(days=31),  # a month at the longest
        ).values_list("pair_id", "user_id", "period_start")
    )
    unanswered = set()
    for pair in open_pairs:
        start = period_start(pair.started_on, pair.programme.weekly_weeks, today)
        for user_id in (pair.mentor_id, pair.mentee_id):
            if (pair.id, user_id, start) not in answered:
                unanswered.add((pair.id, user_id))
    return unanswered


# Upward coaching: a supervisor invites a team member


def coach_invite(*, programme: MentoringProgramme, supervisor, name: str, email: str):
    """Adds a team member to the supervisor's coaches. The first is invited at once; the
    others wait in the order added until the current coaching ends. Returns (invitation,
    sent now)."""
    email = User.objects.normalize_email(email.strip()).lower()
    if not programme.is_upward:
        raise MentoringRefused(_("Only upward coaching invites team members."))
    if programme.ends_on < timezone.localdate():
        raise MentoringRefused(_("This programme has ended."))
    if email == supervisor.email.lower():
        raise MentoringRefused(_("Invite a member of your team, not yourself."))
    if Pair.objects.filter(
        programme=programme, mentee=supervisor, mentor__email__iexact=email
    ).exists():
        raise MentoringRefused(_("This person is your coach in this programme already."))
    waiting = CoachInvitation.objects.filter(programme=programme, supervisor=supervisor)
    if waiting.filter(email=email).exists():
        raise MentoringRefused(_("You have invited this person already."))
    with transaction.atomic():
        position = (waiting.aggregate(last=Max("position"))["last"] or 0) + 1
        invitation = CoachInvitation.objects.create(
            programme=programme,
            supervisor=supervisor,
            name=name.strip(),
            email=email,
            position=position,
        )
        sent = coach_invitation_next(programme=programme, supervisor=supervisor)
    nav_forget(supervisor.id)
    return invitation, sent == invitation


def coach_invitation_next(*, programme: MentoringProgramme, supervisor):
    """Makes the supervisor's next waiting invitation due, unless a coaching of theirs is
    active or an invitation is out and unanswered. Returns the one made due, or None."""
    if Pair.objects.filter(
        programme=programme, mentee=supervisor, status__in=[PairStatus.ACTIVE, PairStatus.PAUSED]
    ).exists():
        return None
    invitations = CoachInvitation.objects.filter(
        programme=programme, supervisor=supervisor, accepted_at=None
    )
    if invitations.filter(due_at__isnull=False).exists():
        return None
    following = invitations.order_by("position", "id").first()
    if following is None:
        return None
    following.due_at = timezone.now()
    following.save(update_fields=["due_at"])
    enqueue_after_commit("mentoring.tasks.coach_invitation_send", [following.id])
    return following


def coach_invitation_resend(*, invitation: CoachInvitation) -> None:
    """A new link for an invitation that expired or went astray."""
    if invitation.accepted_at:
        raise MentoringRefused(_("This invitation has been accepted already."))
    CoachInvitation.objects.filter(id=invitation.id).update(due_at=timezone.now(), sent_at=None)
    enqueue_after_commit("mentoring.tasks.coach_invitation_send", [invitation.id])


def coach_invitation_token(invitation: CoachInvitation) -> str:
    return link_token(invitation.id, INVITATION_SALT)


def coach_invitation_from_token(token: str) -> CoachInvitation | None:
    return (
        CoachInvitation.objects.select_related("programme", "supervisor", "pair")
        .filter(id=link_value(token, INVITATION_SALT))
        .first()
    )


def coach_invitation_refusal(invitation: CoachInvitation) -> str:
    """Why this invitation's link cannot be used, or "" when it can."""
    if invitation.sent_at is None:
        return _("This invitation link is no longer valid. Ask for a new one.")
    if invitation.sent_at < timezone.now() - timedelta(days=INVITATION_DAYS):
        return _("This invitation has expired. Ask the person who invited you for a new one.")
    if invitation.programme.ends_on < timezone.localdate():
        return _("This programme has ended.")
    return ""


@transaction.atomic
def coach_invitation_accept(
    *, invitation: CoachInvitation, user=None, name: str = "", password: str = "", language=""
) -> Pair:
    """The team member says yes: logged in already (`user`), or with a new minimal account
    (a name and a password; no cohort, so it reaches only their pair)."""
    if invitation.accepted_at:
        raise MentoringRefused(_("This invitation has been accepted already."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise MentoringRefused(_("You have an account already: log in to accept."))
        first, last = name_parts(name)
        user = User.objects.create_user(
            invitation.email, password, first_name=first, last_name=last, language=language
        )
    elif user.email.lower() != invitation.email:
        raise MentoringRefused(_("This invitation is for another email address."))
    pair = pair_create(programme=invitation.programme, mentor=user, mentee=invitation.supervisor)
    CoachInvitation.objects.filter(id=invitation.id).update(accepted_at=timezone.now(), pair=pair)
    return pair


# Owner's actions


def people_in_pairs(programme: MentoringProgramme):
    """Everyone in the programme's pairs, either side."""
    return User.objects.filter(
        Q(pairs_as_mentor__programme=programme) | Q(pairs_as_mentee__programme=programme)
    ).distinct()


def recognition_record(*, programme: MentoringProgramme, user_id: int, what: str, given_on, by):
    if not people_in_pairs(programme).filter(id=user_id).exists():
        raise MentoringRefused(_("Choose someone in this programme's pairs."))
    if not what.strip():
        raise MentoringRefused(_("Say what was given."))
    return Recognition.objects.create(
        programme=programme, user_id=user_id, what=what.strip(), given_on=given_on, recorded_by=by
    )


def pair_message_send(*, pair: Pair, people, text: str, by) -> None:
    """An organiser's message to one or both of a pair, emailed by a worker."""
    enqueue_after_commit(
        "mentoring.tasks.pair_message_send",
        [pair.id, [person.id for person in people], text.strip(), by.id, uuid.uuid4().hex],
    )


# The programme's figures (a coalesced background rebuild)


@dataclass
class _Tally:
    minutes: int = 0
    last_session_on: date | None = None
    done: int = 0


def _milestone_days(sessions, minimum_hours: int) -> dict[str, date]:
    """The days a pair's sessions (day, minutes; in order) reached each hours milestone."""
    reached, total = {}, 0
    for day, minutes in sessions:
        total += minutes
        reached.setdefault(MilestoneKind.FIRST_SESSION, day)
        if total >= minimum_hours * 30:
            reached.setdefault(MilestoneKind.HALF, day)
        if total >= minimum_hours * 60:
            reached.setdefault(MilestoneKind.MINIMUM, day)
    return reached


def _risks(pair: Pair, programme, hours: Decimal, recent: list, ended: list[date], today) -> list:
    """Why an active pair needs the owner's eye (Risk values)."""
    if pair.status != PairStatus.ACTIVE:
        return []
    risks = []
    answered = {(row.user_id, row.period_start) for row in recent}
    if len(ended) >= 2:
        for user_id in (pair.mentor_id, pair.mentee_id):
            if not any((user_id, start) in answered for start in ended[-2:]):
                risks.append(Risk.MISSED)
                break
    latest = {}
    for row in sorted(recent, key=lambda row: row.period_start):
        latest[row.user_id] = row
    if any(row.score <= LOW_SCORE for row in latest.values()):
        risks.append(Risk.LOW)
    if any(row.not_getting_along for row in latest.values()):
        risks.append(Risk.FRICTION)
    if any(row.too_busy for row in latest.values()):
        risks.append(Risk.BUSY)
    start, end = pair.started_on, programme.ends_on
    elapsed = (min(today, end) - start).days
    if elapsed >= PACE_GRACE_DAYS and end > start:
        needed = Decimal(programme.minimum_hours) * elapsed / (end - start).days
        if hours < needed * PACE_SLACK:
            risks.append(Risk.BEHIND)
    return risks


def programme_figures_build(programme_id: int) -> bool:
    """Recomputes every pair's figures, milestones and the programme's totals: a fixed number
    of queries whatever the number of pairs. Idempotent."""
    now = timezone.now()
    if not FIGURES.claim(programme_id, now):
        return False
    with FIGURES.holding(programme_id):
        programme = MentoringProgramme.objects.get(id=programme_id)
        today = timezone.localdate()
        pairs = list(programme.pairs.all())
        for pair in pairs:
            pair.programme = programme
        pair_ids = [pair.id for pair in pairs]
        tallies = defaultdict(_Tally)
        sessions = counted(MentoringSession.objects.filter(pair_id__in=pair_ids))
        for row in sessions.values("pair_id").annotate(
            minutes_sum=Sum("minutes"), last=Max("held_on")
        ):
            tally = tallies[row["pair_id"]]
            tally.minutes, tally.last_session_on = row["minutes_sum"], row["last"]
        checkins = CheckIn.objects.filter(pair_id__in=pair_ids)
        for row in checkins.values("pair_id").annotate(done=Count("id")):
            tallies[row["pair_id"]].done = row["done"]
        recent = defaultdict(list)
        for row in checkins.filter(period_start__gte=today - timedelta(days=70)).only(
            "pair_id", "user_id", "period_start", "score", "not_getting_along", "too_busy"
        ):
            recent[row.pair_id].append(row)
        has_minimum = set(
            Milestone.objects.filter(pair_id__in=pair_ids, kind=MilestoneKind.MINIMUM).values_list(
                "pair_id", flat=True
            )
        )
        by_pair = defaultdict(list)
        for pair_id, day, minutes in (
            sessions.exclude(pair_id__in=has_minimum)
            .order_by("pair_id", "held_on", "id")
            .values_list("pair_id", "held_on", "minutes")
            .iterator(chunk_size=5000)
        ):
            by_pair[pair_id].append((day, minutes))
        milestones, totals = [], defaultdict(int)
        for pair in pairs:
            tally = tallies[pair.id]
            counted_until = today if pair.status == PairStatus.ACTIVE else pair.status_since
            ended = periods_ended(
                pair.started_on, programme.weekly_weeks, min(counted_until, programme.ends_on)
            )
            rows = recent[pair.id]
            pair.hours = (Decimal(tally.minutes) / 60).quantize(Decimal("0.01"))
            pair.last_session_on = tally.last_session_on
            pair.checkins_due = 2 * len(ended)
            pair.checkins_done = min(tally.done, pair.checkins_due)
            pair.lowest_recent_score = min((row.score for row in rows), default=None)
            pair.risks = _risks(pair, programme, pair.hours, rows, ended, today)
            for kind, day in _milestone_days(by_pair[pair.id], programme.minimum_hours).items():
                milestones.append(Milestone(pair=pair, kind=kind, reached_on=day))
            if today > programme.ends_on and (
                pair.status != PairStatus.ENDED or pair.status_since >= programme.ends_on
            ):
                milestones.append(
                    Milestone(pair=pair, kind=MilestoneKind.COMPLETED, reached_on=programme.ends_on)
                )
            totals[pair.status] += 1
            totals["hours"] += pair.hours
            totals["checkins_due"] += pair.checkins_due
            totals["checkins_done"] += pair.checkins_done
            totals["at_risk"] += bool(pair.risks)
            totals["minimum_reached"] += pair.hours >= programme.minimum_hours
        Pair.objects.bulk_update(
            pairs,
            [
                "hours",
                "last_session_on",
                "checkins_due",
                "checkins_done",
                "lowest_recent_score",
                "risks",
            ],
            batch_size=500,
        )
        Milestone.objects.bulk_create(milestones, ignore_conflicts=True, batch_size=1000)
        figures = {
            "active": totals[PairStatus.ACTIVE],
            "paused": totals[PairStatus.PAUSED],
            "hours": float(totals["hours"]),
            "minimum_hours_total": programme.minimum_hours * len(pairs),
            "minimum_reached": totals["minimum_reached"],
            "checkins_due": totals["checkins_due"],
            "checkins_done": totals["checkins_done"],
            "at_risk": totals["at_risk"],
        }
        MentoringProgramme.objects.filter(id=programme_id).update(figures=figures, figures_at=now)
    return True


def figures_refresh(today: date | None = None) -> int:
    """Asks for a rebuild of every programme running (and those ended within a week, for
    their completion milestones): pace and missed check-ins change as days pass."""
    today = today or timezone.localdate()
    ids = list(
        MentoringProgramme.objects.filter(
            starts_on__lte=today, ends_on__gte=today - timedelta(days=7)
        ).values_list("id", flat=True)
    )
    for programme_id in ids:
        FIGURES.request(programme_id)
    return len(ids)


def percent(part, whole) -> int | None:
    """`part` of `whole` in per cent, or None when there is no whole yet."""
    return round(100 * (part or 0) / whole) if whole else None


def checkin_rate(figures: dict) -> int | None:
    """Per cent of the check-ins due that were answered, or None before any was due."""
    return percent(figures.get("checkins_done"), figures.get("checkins_due"))


def minimum_hours_share(figures: dict) -> int | None:
    return percent(figures.get("hours"), figures.get("minimum_hours_total"))


# Reminders


def checkin_reminder_recipients(today: date | None = None) -> dict:
    """Person -> their pairs whose check-in for the current period is unanswered, among the
    active pairs of running programmes."""
    today = today or timezone.localdate()
    pairs = list(
        Pair.objects.filter(
            status=PairStatus.ACTIVE,
            programme__starts_on__lte=today,
            programme__ends_on__gte=today,
        ).select_related("programme", "mentor", "mentee")
    )
    unanswered = checkins_unanswered(pairs, today)
    due = defaultdict(list)
    for pair in pairs:
        for user in (pair.mentor, pair.mentee):
            if (pair.id, user.id) in unanswered and user.is_active:
                due[user].append(pair)
    return due


def invitation_link(invitation: CoachInvitation) -> str:
    return settings.SITE_URL + reverse("mentoring_join", args=[coach_invitation_token(invitation)])
