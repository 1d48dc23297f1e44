import pytest

from impact import services
from impact.models import Rater, TeamResponse
from tests.conftest import team_survey_build


@pytest.fixture
def survey_and_waves(world):
    """The coaching instrument; a baseline that closed a month ago and an end wave open now,
    neither answered yet."""
    return team_survey_build(world, answers=0)


@pytest.fixture
def survey(survey_and_waves):
    return survey_and_waves[0]


@pytest.fixture
def waves(survey_and_waves):
    return survey_and_waves[1:]


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
