import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """The services' refusals are read in English here (the site's default is Finnish)."""
    with translation.override("en"):
        yield
