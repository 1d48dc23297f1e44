"""What SCIM provisioning (api.scim) does to accounts and cohorts."""

from polku import events
from polku.people.models import Role, User
from polku.people.services import invitation_create, membership_add

from .models import ProvisionedGroup, ProvisionedPerson


def account_adoptable(user: User, organisation) -> bool:
    """Whether an account that exists already may be provisioned by `organisation`: someone
    it invited before it switched SCIM on, in its cohorts and no one else's. Staff, another
    organisation's people and accounts in no cohort are not its to take."""
    if user.is_staff or user.is_superuser or user.erased_at:
        return False
    if ProvisionedPerson.objects.filter(user=user).exists():
        return False
    memberships = user.memberships.all()
    return (
        memberships.exists() and not memberships.exclude(cohort__organisation=organisation).exists()
    )


def account_new(email: str) -> User:
    user = User(email=email)
    user.set_unusable_password()  # signs in with the organisation's SSO, or sets one when invited
    return user


def account_save(user: User, *, active: bool) -> None:
    """Saves the account; opening or closing it changes who is counted in the cohorts' figures
    (joined_participants leaves closed accounts out), so their rollups are built again. The
    save itself ends a closed account's sessions (polku.people.auth)."""
    changed = user.pk is not None and user.is_active != active
    user.is_active = active
    user.save()
    if changed:
        participants_changed(user)


def participants_changed(user: User) -> None:
    for membership_id, cohort_id in user.memberships.filter(role=Role.PARTICIPANT).values_list(
        "id", "cohort_id"
    ):
        events.PARTICIPANTS_CHANGED.announce(cohort_id=cohort_id, membership_ids=[membership_id])


def person_unprovision(person: ProvisionedPerson) -> None:
    """SCIM DELETE: the account is closed and the organisation's record of it forgotten.
    What the person wrote stays with the cohort; erasing it is the organiser's act
    (privacy.services.person_erase)."""
    user = person.user
    person.delete()
    account_save(user, active=False)


def group_cohort_sync(group: ProvisionedGroup, added=None) -> None:
    """A group linked to a cohort: its members (or only those just `added`, a list of
    ProvisionedPerson ids) not yet in it are added as participants and invited, as a CSV
    import does. Those taken out of the group stay in the cohort."""
    if group.cohort_id is None:
        return
    members = group.members.select_related("user")
    if added is not None:
        members = members.filter(id__in=added)
    for person in members:
        membership, created = membership_add(
            cohort=group.cohort, email=person.user.email, role=Role.PARTICIPANT
        )
        if created:
            invitation_create(membership=membership)
