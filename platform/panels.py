"""Panels that features add to pages of features below them, so that a page shows what a
higher layer knows without importing it (as with polku.events, the dependency points down):
mentoring's figures on the progress dashboard, a participant's training-day commitment on
the assignment that follows it. A feature registers a function for a place; the page calls
`panels(place, **context)` and includes each panel's template with its context. Each
function runs a fixed number of queries and returns None when it has nothing to show."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

DASHBOARD = "dashboard"  # the cohort's progress dashboard: membership
ASSIGNMENT = "assignment"  # an assignment as a participant sees it: membership, page


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


REGISTRY: dict[str, list[Callable]] = defaultdict(list)


def panel(place: str):
    def register(build: Callable) -> Callable:
        if build not in REGISTRY[place]:
            REGISTRY[place].append(build)
        return build

    return register


def panels(place: str, **context) -> list[Panel]:
    return [found for build in REGISTRY[place] if (found := build(**context)) is not None]
