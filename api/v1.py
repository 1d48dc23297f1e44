"""The read API for an organisation's HR and BI, version 1 (/api/v1/, OpenAPI at
/api/v1/openapi.json, browsable at /api/v1/docs).

Django Ninja rather than Django REST framework with drf-spectacular: Wagtail 8 already brings
it, its schema comes from the same type hints that validate, and paging and rate limits are
built in. The same walls as the pages: a token belongs to one organisation and sees nothing of
another's (404, as for a missing cohort), and each endpoint needs its scope (403). Team survey
results leave only as the organiser's page shows them: no slice below the anonymity threshold,
and no comments."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from polku.people.models import Cohort, Membership, Role, full_name
from programmes.models import TrainingDaySchedule
from progress.models import Attendance, ParticipantProgress

from .models import ApiToken, Scope, token_find

PAGE_SIZE = 100


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return token_find(token)


class TokenRateThrottle(AuthRateThrottle):
    """Per token (AuthRateThrottle keys on the bearer value), POLKU_API_RATE."""

    def __init__(self):
        super().__init__(settings.POLKU_API_RATE)

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": "api-token", "ident": request.auth.id}


api = NinjaAPI(
    title="Polku API",
    version="1",
    description=__doc__,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
)


def _scope(request, scope: Scope) -> ApiToken:
    token = request.auth
    if scope not in token.scopes:
        raise HttpError(403, f"This token may not read {scope.value}.")
    return token


def _cohort(request, slug: str, scope: Scope) -> Cohort:
    token = _scope(request, scope)
    cohort = Cohort.objects.filter(slug=slug, organisation_id=token.organisation_id).first()
    if cohort is None:
        raise Http404
    return cohort


class CohortOut(Schema):
    slug: str
    name: str
    language: str
    programme: str
    participants: int


class PersonOut(Schema):
    id: int
    name: str
    email: str
    role: str
    small_group: str | None
    joined_at: datetime | None
    active: bool

    @staticmethod
    def resolve_id(row) -> int:
        return row["user_id"]

    @staticmethod
    def resolve_name(row) -> str:
        return full_name(row["first"], row["last"])

    @staticmethod
    def resolve_small_group(row) -> str | None:
        return row["small_group_name"]


class AttendanceOut(Schema):
    person_id: int
    training_day: str
    training_day_starts_at: datetime | None
    status: str
    method: str
    marked_at: datetime

    @staticmethod
    def resolve_training_day(row) -> str:
        return row["training_day_title"]


class ProgressOut(Schema):
    person_id: int
    behind: bool
    last_active_on: date | None
    days_held: int
    days_attended: int
    days_absent: int
    assignments_due: int
    assignments_on_time: int
    assignments_late: int
    assignments_missing: int
    assignments_reviewed: int
    assignments: dict[str, list]  # {"<assignment id>": [status, reviewed]}
    computed_at: datetime | None


class WaveOut(Schema):
    id: int
    kind: str
    answered: int
    invited: int


class CellOut(Schema):
    mean: float
    answers: int


class ResultRowOut(Schema):
    label: str
    waves: list[CellOut | None]  # None: below the anonymity threshold, not shown


class SurveyOut(Schema):
    survey: str
    threshold: int
    waves: list[WaveOut]
    items: list[ResultRowOut]
    themes: list[ResultRowOut]


@api.get("/cohorts", response=list[CohortOut], tags=["cohorts"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def cohorts(request):
    """The organisation's cohorts."""
    token = _scope(request, Scope.COHORTS)
    return [
        CohortOut(
            slug=cohort.slug,
            name=cohort.name,
            language=cohort.language,
            programme=cohort.programme.title,
            participants=cohort.participants,
        )
        for cohort in Cohort.objects.filter(organisation_id=token.organisation_id)
        .select_related("programme")
        .annotate(
            participants=Count(
                "memberships",
                filter=Q(memberships__role=Role.PARTICIPANT, memberships__joined_at__isnull=False),
            )
        )
        .order_by("name", "id")
    ]


@api.get("/cohorts/{slug}/people", response=list[PersonOut], tags=["people"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def people(request, slug: str):
    """The cohort's people and roles. `joined_at` is empty for someone invited who has not
    joined yet; `active` is false for someone whose account is closed."""
    cohort = _cohort(request, slug, Scope.PEOPLE)
    return (
        Membership.objects.filter(cohort=cohort, user__erased_at=None)
        .order_by("id")
        .values(
            "joined_at",
            "role",
            "user_id",
            email=F("user__email"),
            active=F("user__is_active"),
            small_group_name=F("small_group__name"),
            first=F("user__first_name"),
            last=F("user__last_name"),
        )
    )


@api.get("/cohorts/{slug}/attendance", response=list[AttendanceOut], tags=["attendance"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def attendance(request, slug: str):
    """Who was marked present or absent on which training day."""
    cohort = _cohort(request, slug, Scope.ATTENDANCE)
    starts = TrainingDaySchedule.objects.filter(
        cohort=OuterRef("cohort"), page=OuterRef("training_day")
    ).values("starts_at")[:1]
    return (
        Attendance.objects.filter(cohort=cohort)
        .annotate(training_day_starts_at=Subquery(starts))
        .order_by("training_day_starts_at", "id")
        .values(
            "status",
            "method",
            "marked_at",
            "training_day_starts_at",
            person_id=F("participant__user_id"),
            training_day_title=F("training_day__title"),
        )
    )


@api.get("/cohorts/{slug}/progress", response=list[ProgressOut], tags=["progress"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def progress(request, slug: str):
    """Each participant's figures and assignment status, as the progress dashboard shows
    them (kept current by the worker; `computed_at` says when)."""
    cohort = _cohort(request, slug, Scope.PROGRESS)
    return (
        ParticipantProgress.objects.filter(
            cohort=cohort, membership__role=Role.PARTICIPANT, membership__user__erased_at=None
        )
        .order_by("membership_id")
        .annotate(person_id=F("membership__user_id"))
    )


@api.get("/cohorts/{slug}/surveys", response=list[SurveyOut], tags=["surveys"])
def surveys(request, slug: str):
    """The cohort's team surveys as organisers see them: per item and theme the pooled mean
    of the teams above the anonymity threshold, per wave; below it, nothing (null)."""
    from impact.selectors import cohort_results

    cohort = _cohort(request, slug, Scope.SURVEYS)
    out = []
    for results in cohort_results(cohort, language=cohort.language or "fi"):
        out.append(
            SurveyOut(
                survey=results.survey.title,
                threshold=results.threshold,
                waves=[
                    WaveOut(id=wave.id, kind=wave.kind, answered=answered, invited=invited)
                    for wave, answered, invited in zip(
                        results.waves, results.answered, results.invited, strict=True
                    )
                ],
                items=[_row(row) for row in results.items],
                themes=[_row(row) for row in results.themes],
            )
        )
    return out


def _row(row) -> ResultRowOut:
    return ResultRowOut(
        label=str(row.label),
        waves=[
            CellOut(mean=round(cell.mean, 2), answers=cell.n) if cell and cell.n else None
            for cell in row.cells
        ],
    )
