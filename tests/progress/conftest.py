from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.models import AssignmentPage, AssignmentSchedule


@pytest.fixture
def three_due(world):
    """The world's first three assignments made due yesterday (the third is answered by the
    small group together); returns their pages in path order."""
    now = timezone.now()
    pages = list(AssignmentPage.objects.child_of(world.cohort.programme))[:3]
    for page in pages:
        AssignmentSchedule.objects.filter(cohort=world.cohort, page=page).update(
            opens_at=now - timedelta(days=30), due_at=now - timedelta(days=1)
        )
    return pages
