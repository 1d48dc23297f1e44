"""Panels that features add to the cohort's progress dashboard, so that progress shows their
figures without importing them (as with polku.events, the dependency points down). A
feature registers a function of the staff member's membership that returns a template and
its context, or None when it has nothing to show; each runs a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


DASHBOARD: list[Callable] = []


def dashboard_panel(build: Callable) -> Callable:
    DASHBOARD.append(build)
    return build


def dashboard_panels(membership) -> list[Panel]:
    return [panel for build in DASHBOARD if (panel := build(membership)) is not None]
