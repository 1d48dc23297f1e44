from datetime import timedelta

import pytest
from django.utils import timezone

from impact import services
from impact.instrument import coaching_survey_add
from impact.models import Rater, SurveyWave, TeamResponse


@pytest.fixture
def survey(world):
    return coaching_survey_add(world.cohort.programme)


@pytest.fixture
def waves(world, survey):
    """A baseline that closed a month ago and an end wave open now."""
    now = timezone.now()
    baseline = SurveyWave.objects.create(
        cohort=world.cohort,
        page=survey,
        kind="baseline",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    end = SurveyWave.objects.create(
        cohort=world.cohort,
        page=survey,
        kind="end",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
    )
    return baseline, end


def statements(survey):
    return [item for item in services.current_items(survey) if item.is_statement]


def open_items(survey):
    return [item for item in services.current_items(survey) if not item.is_statement]


def answers_store(wave, supervisor, sheets, rater=Rater.TEAM):
    """Answer sheets as they would have come in ({item: value} or {item: text}), then the
    wave's figures rebuilt."""
    for sheet in sheets:
        TeamResponse.objects.create(
            wave=wave,
            supervisor=supervisor,
            rater=rater,
            values={str(item.id): v for item, v in sheet.items() if isinstance(v, int)},
            texts={str(item.id): v for item, v in sheet.items() if isinstance(v, str)},
        )
    services.wave_figures_build(wave.id)
