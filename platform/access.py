"""People-level access: "is this person in this cohort, in this role?". Each app keeps the
rules for its own objects next to them, built on these (programmes/access.py,
assignments/access.py, live/access.py, workspaces/access.py).

Every view that shows or changes a cohort's object gets it through these. A person who may not
see an object gets the same 404 as for an object that does not exist, so addresses reveal
nothing about other cohorts."""

from collections.abc import Iterable

from django.http import Http404

from polku.caching import cached
from polku.people.models import Cohort, Membership, Role, SmallGroup
from polku.people.versions import STRUCTURE, member_version

ALL_ROLES = (Role.PARTICIPANT, Role.TRAINER, Role.ORGANISER)
STAFF_ROLES = (Role.TRAINER, Role.ORGANISER)


def membership_get(user, cohort_slug: str, roles: Iterable[str] = ALL_ROLES) -> Membership:
    """The person's membership in the cohort, with the cohort and its programme, or 404.
    Every page of a cohort asks, so it is cached until the person's memberships or any
    cohort's structure change (people.versions)."""
    if not user.is_authenticated:
        raise Http404
    membership = cached(
        f"membership:{user.id}:{cohort_slug}",
        lambda: (
            Membership.objects.select_related(
                "cohort", "cohort__programme", "cohort__organisation", "small_group"
            )
            .filter(user=user, cohort__slug=cohort_slug)
            .first()
        ),
        versions=[STRUCTURE, member_version(user.id)],
    )
    if membership is None or membership.role not in roles:
        raise Http404
    return membership


def cohort_page_get(membership: Membership, page_model, page_id: int):
    """A live page of the membership's programme, of the given type, or 404. Cached until
    the structure changes (a publish, an unpublish, a move: people.versions)."""
    programme = membership.cohort.programme
    page = cached(
        f"page:{programme.id}:{page_model._meta.label_lower}:{page_id}",
        lambda: page_model.objects.live().child_of(programme).filter(id=page_id).first(),
        versions=[STRUCTURE],
    )
    if page is None:
        raise Http404
    return page


def small_group_get(membership: Membership, group_id: int):
    """A small group of the membership's cohort, or 404."""
    group = SmallGroup.objects.filter(id=group_id, cohort_id=membership.cohort_id).first()
    if group is None:
        raise Http404
    return group


def cohorts_running(user, programme_id: int):
    """The cohorts of this person that run the programme (empty for anyone else)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme_id=programme_id, memberships__user=user).order_by("-id")
