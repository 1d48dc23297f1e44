"""Reads of impact surveys. Every figure comes from `TeamFigures` through `anonymity.Slice`,
built only from parts (one team, one item, one wave) that have at least N answers: what is
below N is neither shown nor added into anything shown, on any page or export."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import ngettext

from polku.caching import cache_get, cache_set
from polku.people.models import Membership

from .anonymity import Slice, paired_change, part_visible, threshold
from .models import (
    Rater,
    SurveyItem,
    SurveyPage,
    SurveyWave,
    TeamFigures,
    TeamInvitation,
    TeamResponse,
)
from .services import item_keys, shuffled


@dataclass
class Column:
    """One wave of a row, ready for the template."""

    wave: SurveyWave
    cell: Slice | None
    own: int | None

    @property
    def width(self) -> int:
        """The mean on 1–5 as a bar's width, 0–100 %."""
        return round((self.cell.mean - 1) * 25) if self.cell else 0

    @property
    def answers(self) -> str:
        count = self.cell.n if self.cell else 0
        return ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}


@dataclass
class Row:
    """An item or a theme across the waves: one slice per wave (None when hidden)."""

    label: str
    item: SurveyItem | None
    cells: list
    own: list = field(default_factory=list)  # the supervisor's own rating per wave
    waves: list = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        own = self.own or [None] * len(self.cells)
        return [
            Column(wave, cell, mine)
            for wave, cell, mine in zip(self.waves, self.cells, own, strict=True)
        ]

    @property
    def change(self) -> float | None:
        """From the first wave shown to the last one shown."""
        means = [cell.mean for cell in self.cells if cell is not None]
        return means[-1] - means[0] if len(means) >= 2 else None


@dataclass
class SurveyResults:
    survey: SurveyPage
    waves: list[SurveyWave]
    threshold: int
    items: list[Row]
    themes: list[Row]
    answered: list[int]  # responses per wave (a count is shown always: it says nothing of who)
    invited: list[int]
    comments: list[list[tuple[str, list[str]]]] = field(default_factory=list)
    change: object = None  # anonymity.Change (cohort results)
    teams: int = 0  # supervisors in the slice
    teams_shown: list[int] = field(default_factory=list)  # teams above N, per wave

    @property
    def focus(self) -> Row | None:
        """The item to work on next: the one that fell most, else the lowest now."""
        shown = [row for row in self.items if row.cells and row.cells[-1] is not None]
        if not shown:
            return None
        falling = [row for row in shown if row.change is not None and row.change < 0]
        if falling:
            return min(falling, key=lambda row: row.change)
        return min(shown, key=lambda row: row.cells[-1].mean)

    @property
    def rows_by_section(self) -> list[tuple[str, list[Row]]]:
        sections: list[tuple[str, list[Row]]] = []
        for row in self.items:
            title = row.item.section_title(self.language) if row.item else ""
            if not sections or sections[-1][0] != title:
                sections.append((title, []))
            sections[-1][1].append(row)
        return sections

    language: str = "fi"


def cohort_surveys(cohort) -> list[tuple[SurveyPage, list[SurveyWave]]]:
    """The instruments the cohort answers, each with its waves in order (one query)."""
    by_survey: dict[int, tuple] = {}
    for wave in SurveyWave.objects.filter(cohort=cohort).select_related("page"):
        by_survey.setdefault(wave.page_id, (wave.page, []))[1].append(wave)
    return list(by_survey.values())


def open_waves(cohort, now=None) -> list[SurveyWave]:
    now = now or timezone.now()
    return list(
        SurveyWave.objects.filter(cohort=cohort, opens_at__lte=now, closes_at__gt=now)
        .select_related("page")
        .order_by("closes_at")
    )


def _items(survey) -> list[SurveyItem]:
    return list(SurveyItem.objects.filter(survey=survey, is_current=True))


def _rows(items, waves, figures_of, n_min, language):
    """Item and theme rows from {(wave id, supervisor id): items figures}: a part is added
    only when it has N answers."""
    item_rows, themes = [], {}
    by_wave: dict[int, list] = {}  # each wave's teams, read once rather than per item
    for (wave_id, supervisor_id), items_figures in figures_of.items():
        by_wave.setdefault(wave_id, []).append((supervisor_id, items_figures))
    for item in items:
        if not item.is_statement:
            continue
        cells = [Slice() for _wave in waves]
        theme_cells = (
            themes.setdefault(item.theme, [Slice() for _w in waves]) if item.theme else None
        )
        for index, wave in enumerate(waves):
            for supervisor_id, items_figures in by_wave.get(wave.id, ()):
                part = items_figures.get(item.key)
                if not part_visible(part, n_min):
                    continue
                name = (supervisor_id, item.key, wave.id)
                cells[index].add(part, name)
                if theme_cells is not None:
                    theme_cells[index].add(part, name)
        item_rows.append(
            Row(item.text(language), item, [c if c.n else None for c in cells], waves=waves)
        )
    theme_rows = [
        Row(theme, None, [cell if cell.n else None for cell in cells], waves=waves)
        for theme, cells in themes.items()
    ]
    return item_rows, theme_rows


def team_results(supervisor: Membership, language: str = "fi") -> list[SurveyResults]:
    """A supervisor's team's view, wave by wave, with their own beside it; open answers only
    for a wave with at least N answers, in random order. Used for the supervisor and their
    trainer alike."""
    n_min = threshold(supervisor.cohort.programme)
    results = []
    for survey, waves in cohort_surveys(supervisor.cohort):
        result, items, _figures_of = _pooled(survey, waves, [supervisor.id], n_min, language)
        key_of = item_keys(survey.id)
        own = {
            response.wave_id: {key_of.get(item_id): v for item_id, v in response.values.items()}
            for response in TeamResponse.objects.filter(
                wave__in=waves, supervisor=supervisor, rater=Rater.SELF
            )
        }
        for row in result.items:
            row.own = [own.get(wave.id, {}).get(row.item.key) for wave in waves]
        result.comments = _comments(
            items, waves, supervisor, result.answered, n_min, key_of, language
        )
        results.append(result)
    return results


def _pooled(survey, waves, supervisor_ids, n_min, language):
    """These supervisors' teams' results for one instrument: item and theme rows built from
    parts of N answers or more, answers and personal invitations per wave. Returns the
    results with the instrument's current items and the teams' figures."""
    wave_ids = [wave.id for wave in waves]
    figures = list(
        TeamFigures.objects.filter(wave_id__in=wave_ids, supervisor_id__in=list(supervisor_ids))
    )
    figures_of = {(row.wave_id, row.supervisor_id): row.items for row in figures}
    items = _items(survey)
    item_rows, theme_rows = _rows(items, waves, figures_of, n_min, language)
    invited = _invited(wave_ids, supervisor_ids)
    result = SurveyResults(
        survey=survey,
        waves=waves,
        threshold=n_min,
        items=item_rows,
        themes=theme_rows,
        answered=[sum(r.responses for r in figures if r.wave_id == w.id) for w in waves],
        invited=[invited.get(wave.id, 0) for wave in waves],
        language=language,
    )
    return result, items, figures_of


def team_results_version(supervisor: Membership) -> str:
    """What a supervisor's results depend on, as a short string (four small queries): their
    team's figures, their own answers, the cohort's waves and the instrument's items, and N.
    Their rendering is cached under it."""
    figures = TeamFigures.objects.filter(supervisor=supervisor).aggregate(
        latest=Max("computed_at"), rows=Count("id")
    )
    own = list(
        TeamResponse.objects.filter(supervisor=supervisor, rater=Rater.SELF)
        .order_by("wave_id")
        .values_list("wave_id", "values")
    )
    waves = list(
        SurveyWave.objects.filter(cohort_id=supervisor.cohort_id)
        .order_by("id")
        .values_list("id", "page_id", "kind", "opens_at", "closes_at")
    )
    items = SurveyItem.objects.filter(survey_id__in={w[1] for w in waves}).aggregate(
        latest=Max("id"), current=Count("id", filter=Q(is_current=True))
    )
    state = (figures, own, waves, items, threshold(supervisor.cohort.programme))
    return hashlib.blake2b(repr(state).encode(), digest_size=12).hexdigest()


def _invited(wave_ids, supervisor_ids) -> dict[int, int]:
    return dict(
        TeamInvitation.objects.filter(
            wave_id__in=wave_ids, member__supervisor_id__in=list(supervisor_ids)
        )
        .values("wave_id")
        .annotate(count=Count("id"))
        .values_list("wave_id", "count")
    )


def _comments(items, waves, supervisor, answered, n_min, key_of, language):
    """Per wave: [(question, [answers in random order])], only for waves with N answers."""
    open_items = [item for item in items if not item.is_statement]
    shown_waves = [wave.id for wave, count in zip(waves, answered, strict=True) if count >= n_min]
    texts: dict[tuple[int, str], list[str]] = {}
    if open_items:
        # Read for every wave and kept for those shown: the page costs the same queries
        # whether or not a wave has reached N.
        for wave_id, answers in TeamResponse.objects.filter(
            wave__in=waves, supervisor=supervisor, rater=Rater.TEAM
        ).values_list("wave_id", "texts"):
            if wave_id not in shown_waves:
                continue
            for item_id, text in answers.items():
                texts.setdefault((wave_id, key_of.get(item_id)), []).append(text)
    return [
        [(item.text(language), shuffled(texts.get((wave.id, item.key), []))) for item in open_items]
        if wave.id in shown_waves
        else []
        for wave in waves
    ]


RESULTS_CACHE_SECONDS = 60  # how long a move between small groups may go unseen
# Part of the key: bump it when SurveyResults, Row or Slice change shape, so a deploy never
# unpickles an entry of the previous shape.
RESULTS_CACHE_SHAPE = 2


def cohort_results(cohort, group_id: int | None = None, language: str = "fi"):
    """The cohort's (or one small group's) change, for organisers and trainers: per item and
    theme the pooled view of the teams above N, response counts per wave, and the paired
    change across supervisors whose teams met N at the first and the last wave.

    Cached under the version of the cohort's team figures (one query): summing every team of
    a large cohort is the page's whole cost, and it only changes when a team's figures do."""
    n_min = threshold(cohort.programme)
    version = TeamFigures.objects.filter(wave__cohort=cohort).aggregate(
        latest=Max("computed_at"), rows=Count("id")
    )
    key = (
        f"impact:cohort:{RESULTS_CACHE_SHAPE}:{cohort.id}:{group_id}:{language}:{n_min}:"
        f"{version['latest'] and version['latest'].timestamp()}:{version['rows']}"
    )
    cached = cache_get(key)
    if cached is None:
        cached = _cohort_results(cohort, group_id, language, n_min)
        cache_set(key, cached, timeout=RESULTS_CACHE_SECONDS)
    return cached


def _cohort_results(cohort, group_id, language, n_min):
    supervisors = Membership.objects.joined_participants().filter(cohort=cohort)
    if group_id is not None:
        supervisors = supervisors.filter(small_group_id=group_id)
    supervisor_ids = list(supervisors.values_list("id", flat=True))
    results = []
    for survey, waves in cohort_surveys(cohort):
        result, items, figures_of = _pooled(survey, waves, supervisor_ids, n_min, language)
        team_means = _team_means(items, waves, figures_of, n_min)
        teams_shown = [sum(1 for key in team_means if key[0] == wave.id) for wave in waves]
        pairs = []
        # From the first wave any team shows to the latest (an end wave not yet answered
        # leaves the change at the midpoint until it is).
        answered_waves = [w for w, count in zip(waves, teams_shown, strict=True) if count]
        if len(answered_waves) >= 2:
            first, last = answered_waves[0].id, answered_waves[-1].id
            for supervisor_id in supervisor_ids:
                before = team_means.get((first, supervisor_id))
                after = team_means.get((last, supervisor_id))
                if before is not None and after is not None:
                    pairs.append((before, after))
        result.change = paired_change(pairs, eligible=len(supervisor_ids))
        result.teams, result.teams_shown = len(supervisor_ids), teams_shown
        results.append(result)
    return results


def _team_means(items, waves, figures_of, n_min) -> dict[tuple[int, int], float]:
    """Each team's mean over its statement items shown (N answers each), per wave."""
    keys = [item.key for item in items if item.is_statement]
    means = {}
    for (wave_id, supervisor_id), items_figures in figures_of.items():
        n = total = 0
        for key in keys:
            part = items_figures.get(key)
            if part_visible(part, n_min):
                n, total = n + part["n"], total + part["sum"]
        if n:
            means[(wave_id, supervisor_id)] = total / n
    return means


def supervisors_overview(cohort, supervisor_ids=None) -> tuple[list[dict], list[SurveyWave]]:
    """For a trainer: each supervisor, how many of their team answered each wave (counts)."""
    members = Membership.objects.joined_participants().filter(cohort=cohort)
    if supervisor_ids is not None:
        members = members.filter(id__in=list(supervisor_ids))
    members = list(members.select_related("user", "small_group").order_by("user__first_name"))
    counts = {
        (row["wave_id"], row["supervisor_id"]): row["responses"]
        for row in TeamFigures.objects.filter(supervisor__in=members).values(
            "wave_id", "supervisor_id", "responses"
        )
    }
    waves = list(SurveyWave.objects.filter(cohort=cohort).order_by("opens_at"))
    return [
        {
            "member": member,
            "answered": [counts.get((wave.id, member.id), 0) for wave in waves],
        }
        for member in members
    ], waves


def own_answered(waves, supervisor) -> set[int]:
    """The waves of these in which the supervisor has answered about themselves."""
    return set(
        TeamResponse.objects.filter(
            wave__in=waves, supervisor=supervisor, rater=Rater.SELF
        ).values_list("wave_id", flat=True)
    )
