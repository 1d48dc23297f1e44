from tests.impact.conftest import survey, survey_and_waves, waves  # noqa: F401 - fixtures
