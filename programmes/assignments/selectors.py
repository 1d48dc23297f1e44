"""Reads of answers, each in a fixed number of queries."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from polku.caching import cached
from polku.people.models import Membership, SmallGroup, full_name
from programmes.models import AnswerScope

from .models import Answer, FeedbackSeen, ReviewComment
from .versions import feedback_seen_version, owner_version, versions_of


class AnswerStatus(models.TextChoices):
    """The one list of an answer's states, in the order a review list shows them."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LATE = "late", _("Submitted late")
    REVIEWED = "reviewed", _("Reviewed")

    @property
    def tone(self) -> str:
        """How its badge looks: muted before submitting, a warning when late."""
        return {self.NOT_STARTED: "muted", self.DRAFT: "muted", self.LATE: "warn"}.get(self, "")


# Submitted, on time or not, reviewed or not.
SUBMITTED_STATES = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.LATE, AnswerStatus.REVIEWED})


# The fields answer_status reads, and whose answer it is.
STATUS_FIELDS = (
    "assignment_id",
    "version",
    "submitted_revision_id",
    "reviewed_at",
    "is_late",
    "small_group_id",
    "participant_id",
)


def answer_status(answer: Answer | None) -> AnswerStatus:
    if answer is None or answer.version == 0:
        return AnswerStatus.NOT_STARTED
    if answer.submitted_revision_id is None:
        return AnswerStatus.DRAFT
    if answer.reviewed_at:
        return AnswerStatus.REVIEWED
    return AnswerStatus.LATE if answer.is_late else AnswerStatus.SUBMITTED


def answer_of(*, membership: Membership, assignment) -> Answer | None:
    """The person's (or their group's) answer, kept until it changes (versions.py): the form
    reads it on every view. Kept as a 1-tuple, so that "not started" is kept too."""
    from .services import answer_owner

    owner = answer_owner(membership=membership, assignment=assignment)
    version = owner_version(**owner)
    (answer,) = cached(
        f"answer:{membership.cohort_id}:{assignment.id}:{version}",
        lambda: (
            Answer.objects.select_related("updated_by", "submitted_revision")
            .defer("updated_by__password")
            .filter(cohort_id=membership.cohort_id, assignment=assignment, **owner)
            .first(),
        ),
        versions=[version],
    )
    return answer


def latest_feedback(comments: list, user) -> "ReviewComment | None":
    """The newest message of a thread by someone other than the person (read from the list
    the page already has)."""
    return next((c for c in reversed(comments) if c.author_id != user.id), None)


class MyAnswers(NamedTuple):
    statuses: dict[int, str]  # assignment id: the person's status (theirs or their group's)
    new_feedback: set[int]  # assignments whose coaching thread has a message not seen yet


def my_answers_read(*, membership: Membership) -> MyAnswers:
    """The person's status for every assignment of the cohort, and where a message by someone
    else came after they last saw the thread. One query: a few rows, each with its thread's
    newest message by others and when the person last saw it."""
    owner = Q(participant_id=membership.id)
    if membership.small_group_id:
        owner |= Q(small_group_id=membership.small_group_id)
    others = ReviewComment.objects.filter(answer=OuterRef("pk")).exclude(
        author_id=membership.user_id
    )
    seen = FeedbackSeen.objects.filter(user_id=membership.user_id, answer=OuterRef("pk"))
    answers = (
        Answer.objects.filter(owner, cohort_id=membership.cohort_id)
        .only(*STATUS_FIELDS)
        .annotate(
            last_feedback=Subquery(others.order_by("-created_at").values("created_at")[:1]),
            seen_at=Subquery(seen.values("seen_at")[:1]),
        )
    )
    statuses, new_feedback = {}, set()
    for answer in answers:
        statuses[answer.assignment_id] = answer_status(answer)
        unseen = answer.seen_at is None or answer.seen_at < answer.last_feedback
        if answer.last_feedback and unseen:
            new_feedback.add(answer.assignment_id)
    return MyAnswers(statuses, new_feedback)


def my_answers_of(*, membership: Membership) -> MyAnswers:
    """my_answers_read, kept until the person's or their group's answers or threads change,
    or they read a thread (versions.py)."""
    return cached(
        f"my-answers:{membership.id}:{membership.small_group_id}",
        lambda: my_answers_read(membership=membership),
        versions=[*versions_of(membership), feedback_seen_version(membership.user_id)],
    )


@dataclass
class ReviewRow:
    name: str
    status: str
    answer: Answer | None
    membership_id: int | None = None  # a participant's row (not a small group's): remindable

    @property
    def can_be_reminded(self) -> bool:
        return self.membership_id is not None and self.status not in SUBMITTED_STATES


def review_rows_get(*, cohort, assignment) -> list[ReviewRow]:
    """Who has answered, who is late, who has not started: per participant, or per small
    group for a shared answer."""
    # What a status needs, not the texts: a cohort's answers are a few hundred rows.
    answers = Answer.objects.filter(cohort=cohort, assignment=assignment).only(*STATUS_FIELDS)
    if assignment.answer_scope == AnswerScope.SMALL_GROUP:
        by_group = {a.small_group_id: a for a in answers if a.small_group_id}
        rows = [
            ReviewRow(g.name, answer_status(by_group.get(g.id)), by_group.get(g.id))
            for g in SmallGroup.objects.filter(cohort=cohort)
        ]
    else:
        by_member = {a.participant_id: a for a in answers if a.participant_id}
        members = (
            Membership.objects.joined_participants()
            .filter(cohort=cohort)
            .values_list("id", "user__first_name", "user__last_name", "user__email")
        )
        rows = [
            ReviewRow(
                full_name(first, last) or email,
                answer_status(by_member.get(member_id)),
                by_member.get(member_id),
                member_id,
            )
            for member_id, first, last, email in members
        ]
    order = list(AnswerStatus)
    return sorted(rows, key=lambda row: (-order.index(row.status), row.name))
