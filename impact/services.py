"""Writes of impact surveys: the instrument's item versions, the team a supervisor brings in,
answers (the team's and the supervisor's own), each team's figures, weekly reflections."""

import random
import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from polku.coalescing import Coalescing, enqueue_after_commit
from polku.links import link_token, link_value
from polku.people.models import Membership

from .anonymity import CANT_SAY, SCALE
from .models import (
    ItemKind,
    Rater,
    SurveyItem,
    SurveyPage,
    SurveyWave,
    TeamFigures,
    TeamInvitation,
    TeamMember,
    TeamResponse,
    WeeklyReflection,
)

INVITATION_SALT = "impact.invitation"
TEAM_LINK_SALT = "impact.team-link"
TEAM_SIZE_MAX = 60  # people a supervisor can invite by email
TEXT_MAX = 2000
LINK_USED = gettext_lazy("This link has been used already. Thank you for answering!")

FIGURES = Coalescing(
    model=TeamFigures,
    wanted="rebuild_wanted_at",
    since="rebuilding_since",
    task="impact.tasks.team_figures_build",
    countdown=1.0,
    stale_after=timedelta(minutes=2),
    lost_after=timedelta(seconds=20),
)


class SurveyRefused(Exception):
    """Why an answer cannot be taken, in words for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- the instrument ------------------------------------------------------------------------


def _block_items(survey: SurveyPage):
    """(key, kind, texts, section texts, theme, step) per item, in the page's order."""
    section = {}
    for block in survey.items:
        value = block.value
        if block.block_type == "section":
            section = {lang: value.get(f"title_{lang}") or "" for lang in ("fi", "en", "sv")}
            continue
        yield (
            block.id,
            ItemKind.STATEMENT if block.block_type == "statement" else ItemKind.OPEN,
            {lang: value.get(f"text_{lang}") or "" for lang in ("fi", "en", "sv")},
            section,
            value.get("theme") or "",
            value.get("growth_chain_step") or "",
        )


@transaction.atomic
def survey_items_sync(*, survey: SurveyPage) -> None:
    """Makes the item rows follow the published page. Wording or kind changed after anyone
    answered: a new version (earlier answers keep the words they answered). Before any answer,
    or for a theme, a step or a place in the order: the same version, updated."""
    answered = TeamResponse.objects.filter(wave__page=survey).exists()
    current = {item.key: item for item in survey.survey_items.filter(is_current=True)}
    seen = set()
    for position, (key, kind, texts, section, theme, step) in enumerate(_block_items(survey)):
        seen.add(key)
        item = current.get(key)
        placing = {"section": section, "theme": theme, "growth_chain_step": step}
        if item is None:
            latest = survey.survey_items.filter(key=key).order_by("-version").first()
            SurveyItem.objects.create(
                survey=survey,
                key=key,
                version=latest.version + 1 if latest else 1,
                kind=kind,
                texts=texts,
                position=position,
                **placing,
            )
        elif (item.kind, item.texts) != (kind, texts) and answered:
            item.is_current = False
            item.save(update_fields=["is_current"])
            SurveyItem.objects.create(
                survey=survey,
                key=key,
                version=item.version + 1,
                kind=kind,
                texts=texts,
                position=position,
                **placing,
            )
        else:
            item.kind, item.texts, item.position = kind, texts, position
            for name, value in placing.items():
                setattr(item, name, value)
            item.save()
    survey.survey_items.filter(is_current=True).exclude(key__in=seen).update(is_current=False)


# -- the team ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,;<>]+")


def emails_parse(text: str) -> tuple[list[str], list[str]]:
    """Addresses pasted from anywhere (an email's To line, a spreadsheet column): the valid
    ones, lower-cased and without repeats, and what looked like an address but was not.
    Names around the addresses ("Matti M. <matti@example.com>") are skipped."""
    valid, invalid = [], []
    for word in _SEPARATORS.split(text or ""):
        word = word.strip().strip("\"'").lower()
        if "@" not in word:
            continue
        try:
            validate_email(word)
        except ValidationError:
            invalid.append(word)
            continue
        if word not in valid:
            valid.append(word)
    return valid, invalid


@transaction.atomic
def team_members_add(*, supervisor: Membership, emails: list[str]) -> list[TeamMember]:
    """Adds team members and invites them to the waves open now. Returns the new ones."""
    existing = set(supervisor.team_members.values_list("email", flat=True))
    room = TEAM_SIZE_MAX - len(existing)
    fresh = [email for email in emails if email not in existing]
    if len(fresh) > room:
        raise SurveyRefused(
            ngettext(
                "A team can have at most %(count)s person by email. Use the team link for more.",
                "A team can have at most %(count)s people by email. Use the team link for more.",
                TEAM_SIZE_MAX,
            )
            % {"count": TEAM_SIZE_MAX}
        )
    added = TeamMember.objects.bulk_create(
        [TeamMember(supervisor=supervisor, email=email) for email in fresh]
    )
    now = timezone.now()
    for wave in SurveyWave.objects.filter(
        cohort_id=supervisor.cohort_id, opens_at__lte=now, closes_at__gt=now
    ):
        wave_invitations_create(wave=wave, members=added)
    return added


def team_member_remove(*, supervisor: Membership, member_id: int) -> None:
    """Takes someone off the team: no more invitations. Answers given stay (they are not
    linked to anyone)."""
    supervisor.team_members.filter(id=member_id).delete()


def wave_invitations_create(*, wave: SurveyWave, members=None) -> int:
    """Personal links for the wave to these members (or every team of the cohort), sent by a
    worker after commit. Repeating it creates nothing twice."""
    if members is None:
        members = TeamMember.objects.filter(
            supervisor__cohort_id=wave.cohort_id, supervisor__joined_at__isnull=False
        )
    created = TeamInvitation.objects.bulk_create(
        [TeamInvitation(wave=wave, member=member) for member in members],
        ignore_conflicts=True,
    )
    enqueue_after_commit("impact.tasks.team_invitations_send", [wave.id])
    return len(created)


def invitation_token(invitation: TeamInvitation) -> str:
    return link_token(invitation.id, INVITATION_SALT)


def invitation_from_token(token: str) -> TeamInvitation | None:
    return (
        TeamInvitation.objects.select_related(
            "wave__page", "wave__cohort__programme", "member__supervisor__user"
        )
        .filter(id=link_value(token, INVITATION_SALT))
        .first()
    )


def team_link_token(*, wave: SurveyWave, supervisor: Membership) -> str:
    return link_token([wave.id, supervisor.id], TEAM_LINK_SALT)


def team_link_from_token(token: str) -> tuple[SurveyWave, Membership] | None:
    try:
        wave_id, supervisor_id = link_value(token, TEAM_LINK_SALT)
    except (ValueError, TypeError):  # forged or garbled: None, or not a pair of ids
        return None
    wave = SurveyWave.objects.select_related("page", "cohort__programme").filter(id=wave_id).first()
    supervisor = (
        Membership.objects.joined_participants()
        .select_related("user")
        .filter(id=supervisor_id, cohort_id=getattr(wave, "cohort_id", None))
        .first()
    )
    return (wave, supervisor) if wave and supervisor else None


# -- answers -------------------------------------------------------------------------------


def current_items(survey: SurveyPage) -> list[SurveyItem]:
    return list(survey.survey_items.filter(is_current=True))


def wave_refusal(wave: SurveyWave, now=None) -> str | None:
    """Why the wave takes no answers now (not open yet, or closed), or None when it does."""
    now = now or timezone.now()
    if now < wave.opens_at:
        date = timezone.localtime(wave.opens_at).strftime("%d.%m.%Y")
        return _("This survey opens on %(date)s.") % {"date": date}
    if now >= wave.closes_at:
        return _("This survey has closed. Thank you all the same.")
    return None


def _wave_check(wave: SurveyWave, now) -> None:
    if refusal := wave_refusal(wave, now):
        raise SurveyRefused(refusal)


@transaction.atomic
def team_answer_submit(
    *, wave: SurveyWave, supervisor: Membership, values: dict, texts: dict, invitation=None
) -> None:
    """A team member's answers. With a personal link, the link is used up in the same
    transaction (a second submit is refused); the stored answers keep no trace of it."""
    now = timezone.now()
    _wave_check(wave, now)
    if not values and not texts:
        raise SurveyRefused(_("Answer at least one question before sending."))
    if invitation is not None:
        used = TeamInvitation.objects.filter(id=invitation.id, used=False).update(used=True)
        if not used:
            raise SurveyRefused(str(LINK_USED))
    TeamResponse.objects.create(
        wave=wave, supervisor=supervisor, rater=Rater.TEAM, values=values, texts=texts
    )
    figures_request(wave_id=wave.id, supervisor_id=supervisor.id)


@transaction.atomic
def self_answer_save(*, wave: SurveyWave, supervisor: Membership, values: dict, texts: dict):
    """The supervisor's own answers for the wave; they may change them while it is open."""
    _wave_check(wave, timezone.now())
    response, _created = TeamResponse.objects.update_or_create(
        wave=wave,
        supervisor=supervisor,
        rater=Rater.SELF,
        defaults={"values": values, "texts": texts},
    )
    return response


# -- figures -------------------------------------------------------------------------------


def figures_request(*, wave_id: int, supervisor_id: int) -> None:
    row, _created = TeamFigures.objects.get_or_create(wave_id=wave_id, supervisor_id=supervisor_id)
    FIGURES.request(row.pk)


def item_sums(responses, key_of: dict) -> tuple[int, dict]:
    """Sums per item key of these team responses: (number of responses, {key: figures})."""
    count, items = 0, {}
    for values in responses:
        count += 1
        for item_id, value in values.items():
            key = key_of.get(item_id)
            if key is None:
                continue
            figures = items.setdefault(
                key, {"n": 0, "sum": 0, "sumsq": 0, "dist": [0] * len(SCALE), "cant_say": 0}
            )
            if value == CANT_SAY:
                figures["cant_say"] += 1
            elif value in SCALE:
                figures["n"] += 1
                figures["sum"] += value
                figures["sumsq"] += value * value
                figures["dist"][value - 1] += 1
    return count, items


def item_keys(survey_id: int) -> dict[str, str]:
    """Every version's id (as answers store it) -> the item's key."""
    return {
        str(pk): key
        for pk, key in SurveyItem.objects.filter(survey_id=survey_id).values_list("id", "key")
    }


def team_figures_build(figures_id: int) -> bool:
    """Recomputes one team's figures for one wave from its responses. Idempotent."""
    now = timezone.now()
    if not FIGURES.claim(figures_id, now):
        return False
    with FIGURES.holding(figures_id):
        row = TeamFigures.objects.select_related("wave").get(id=figures_id)
        responses = TeamResponse.objects.filter(
            wave_id=row.wave_id, supervisor_id=row.supervisor_id, rater=Rater.TEAM
        ).values_list("values", flat=True)
        count, items = item_sums(responses, item_keys(row.wave.page_id))
        TeamFigures.objects.filter(id=figures_id).update(
            responses=count, items=items, computed_at=now
        )
    return True


def wave_figures_build(wave_id: int) -> int:
    """Recomputes every team's figures of a wave in one pass over its responses (after an
    import, or to check): streamed, so memory stays flat however many answered."""
    wave = SurveyWave.objects.get(id=wave_id)
    key_of = item_keys(wave.page_id)
    by_team: dict[int, list] = {}
    for supervisor_id, values in (
        TeamResponse.objects.filter(wave_id=wave_id, rater=Rater.TEAM)
        .order_by("supervisor_id")
        .values_list("supervisor_id", "values")
        .iterator(chunk_size=5000)
    ):
        by_team.setdefault(supervisor_id, []).append(values)
    now = timezone.now()
    existing = dict(TeamFigures.objects.filter(wave_id=wave_id).values_list("supervisor_id", "id"))
    changed, new = [], []
    for supervisor_id, responses in by_team.items():
        count, items = item_sums(responses, key_of)
        row = TeamFigures(
            id=existing.get(supervisor_id),
            wave_id=wave_id,
            supervisor_id=supervisor_id,
            responses=count,
            items=items,
            computed_at=now,
        )
        (changed if row.id else new).append(row)
    with transaction.atomic():
        TeamFigures.objects.bulk_update(
            changed, ["responses", "items", "computed_at"], batch_size=1000
        )
        TeamFigures.objects.bulk_create(new, batch_size=1000)
        TeamFigures.objects.filter(wave_id=wave_id).exclude(supervisor_id__in=list(by_team)).update(
            responses=0, items={}, computed_at=now
        )
    return len(by_team)


# -- weekly self-evaluation ----------------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def reflection_save(
    *, membership: Membership, week: date, went_well: str, develop: str, act: str, shared: bool
) -> WeeklyReflection:
    reflection, _created = WeeklyReflection.objects.update_or_create(
        membership=membership,
        week=week_of(week),
        defaults={
            "went_well": went_well[:TEXT_MAX],
            "develop": develop[:TEXT_MAX],
            "act": act[:TEXT_MAX],
            "shared_with_trainer": shared,
            "updated_at": timezone.now(),
        },
    )
    return reflection


def shuffled(texts: list[str]) -> list[str]:
    """Open answers in an order that says nothing about when they came."""
    texts = list(texts)
    random.SystemRandom().shuffle(texts)
    return texts
