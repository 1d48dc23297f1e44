"""The one place that answers "may this person see this object?".

Every view that shows or changes a cohort's object gets it through here. A person who may not
see an object gets the same 404 as for an object that does not exist, so addresses reveal
nothing about other cohorts."""

from collections.abc import Iterable

from django.http import Http404

from polku.people.models import Cohort, Membership, Role

ALL_ROLES = (Role.PARTICIPANT, Role.TRAINER, Role.ORGANISER)
STAFF_ROLES = (Role.TRAINER, Role.ORGANISER)


def membership_get(user, cohort_slug: str, roles: Iterable[str] = ALL_ROLES) -> Membership:
    """The person's membership in the cohort, with the cohort and its programme, or 404."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related(
            "cohort", "cohort__programme", "cohort__organisation", "small_group"
        )
        .filter(user=user, cohort__slug=cohort_slug, role__in=list(roles))
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def cohort_page_get(membership: Membership, page_model, page_id: int):
    """A live page of the membership's programme, of the given type, or 404."""
    page = (
        page_model.objects.live().child_of(membership.cohort.programme).filter(id=page_id).first()
    )
    if page is None:
        raise Http404
    return page


def training_day_get(user, cohort_slug: str, page_id: int, roles: Iterable[str] = ALL_ROLES):
    """(membership, training day) for a day of the person's cohort's programme, or 404."""
    from programmes.models import TrainingDayPage

    membership = membership_get(user, cohort_slug, roles=roles)
    return membership, cohort_page_get(membership, TrainingDayPage, page_id)


def small_group_get(membership: Membership, group_id: int):
    """A small group of the membership's cohort, or 404."""
    from polku.people.models import SmallGroup

    group = SmallGroup.objects.filter(id=group_id, cohort_id=membership.cohort_id).first()
    if group is None:
        raise Http404
    return group


def cohorts_running(user, programme_id: int):
    """The cohorts of this person that run the programme (empty for anyone else)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme_id=programme_id, memberships__user=user).order_by("-id")


def answer_get(membership: Membership, answer_id: int):
    """An answer this person may read, and whether they may change it, or 404.

    Trainers read every submitted answer of their cohort, never a draft. A participant reads
    their own (or their small group's shared answer) and changes it; they read a group mate's
    submitted answer only when the assignment shares answers in the group. Organisers never
    read answers: they see counts.
    """
    from programmes.assignments.models import Answer

    answer = (
        Answer.objects.select_related(
            "assignment", "participant__user", "small_group", "submitted_revision"
        )
        .filter(id=answer_id, cohort_id=membership.cohort_id)
        .first()
    )
    if answer is None or membership.role == Role.ORGANISER:
        raise Http404
    if membership.role == Role.TRAINER:
        if answer.submitted_revision_id is None:  # a draft is the participant's own
            raise Http404
        return answer, False
    own = answer.participant_id == membership.id or (
        answer.small_group_id is not None and answer.small_group_id == membership.small_group_id
    )
    if own:
        return answer, True
    group_mate = (
        answer.assignment.answers_shared_in_group
        and answer.participant is not None
        and membership.small_group_id is not None
        and answer.participant.small_group_id == membership.small_group_id
        and answer.submitted_revision_id is not None
    )
    if group_mate:
        return answer, False
    raise Http404


def workspace_get(user, cohort_slug: str, group_id: int):
    """A small group's workspace: its members and the cohort's trainers, nobody else (404).
    Organisers see activity counts on the cohort overview, never the conversations."""
    membership = membership_get(user, cohort_slug, roles=(Role.PARTICIPANT, Role.TRAINER))
    if membership.role == Role.PARTICIPANT:
        if membership.small_group_id != group_id:
            raise Http404
        return membership, membership.small_group  # fetched with the membership
    return membership, small_group_get(membership, group_id)


def post_get(group, post_id: int):
    from workspaces.models import Post

    post = Post.objects.select_related("author").filter(id=post_id, small_group=group).first()
    if post is None:
        raise Http404
    post.small_group = group  # the group asked for: no second read of it
    return post


def live_question_get(membership: Membership, question_id: int):
    """A live question of the person's cohort, or 404. Participants see no hidden question."""
    from programmes.live.models import LiveQuestion

    question = LiveQuestion.objects.filter(id=question_id, cohort_id=membership.cohort_id).first()
    if question is None or (question.hidden and membership.role != Role.TRAINER):
        raise Http404
    return question
