"""Accessibility, proven: every HTML page of the access matrix, as each role that may open it,
at 360 px and 1280 px, checked by axe-core (WCAG 2.2 A and AA) in the real Chromium, and its
markup by the Nu HTML validator. Wagtail's own admin is not ours to fix: it is left out."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.browser.test_answering import _log_in
from tests.conftest import (
    answer_build,
    live_question_build,
    post_build,
    team_survey_build,
    world_build,
)
from tests.test_access_matrix import MATRIX, _mentoring_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
# Routes that answer with something other than a page: JSON, files, CSV, redirects.
NOT_PAGES = {
    "ping",
    "service_worker",
    "material_media",
    "material_file",
    "workspace_updates",
    "answer_file",
    "post_file",
    "data_export_download",
    "live_answers_csv",
    "live_projector_poll",
    "live_room_poll",
    "participants_import_template",
    "progress_export",
    "home",
    "wagtail_serve",
    "live_join",
    "impact_export",
    "mentoring_export",
    "live_summary_pdf",
    "live_summary_xlsx",
    "library_export",
    "mentoring_certificate",
    "calendar_feed",
}
ROLES = ("participant", "trainer", "organiser", "anonymous")


def _needed(tool: Path, what: str):
    """On a newcomer's machine without npm packages the check is skipped; CI must run it."""
    if tool.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what} ({tool}): npm ci")
    pytest.skip(f"no {what}: npm ci")


@pytest.fixture
def pages():
    """role -> {page name: URL} for every page of the matrix that role may open, in a
    lived-in cohort; read before the browser starts."""
    from polku.notifications.services import unsubscribe_token
    from polku.people.services import invitation_create, invitation_token
    from progress.services import check_in_token

    world = world_build("axe")
    slug, group, day = world.cohort.slug, world.participant.small_group_id, world.day.id
    answer = answer_build(world)
    post_build(world, comment="Mitä kokeilisit?")
    live_question_build(world, kind="words", prompt="Yksi sana?")
    live_question_build(world, kind="scale", prompt="Asteikko?", options={"min": 1, "max": 5})
    from impact import services as impact

    _survey, _baseline, end = team_survey_build(world)
    member = world.participant.team_members.create(email="tiimi@example.com")
    survey_token = impact.invitation_token(end.invitations.create(member=member))
    urls = {
        "team": reverse("team", args=[slug]),
        "self_assessment": reverse("self_assessment", args=[slug, end.id]),
        "team_link": reverse("team_link", args=[slug, end.id]),
        "reflections": reverse("reflections", args=[slug]),
        "impact_cohort": reverse("impact_cohort", args=[slug]),
        "mentoring_programmes": reverse("mentoring_programmes", args=[slug]),
        "mentoring_programme_new": reverse("mentoring_programme_new", args=[slug]),
        "impact_person": reverse("impact_person", args=[slug, world.participant.id]),
        "team_survey": reverse("team_survey", args=[survey_token]),
        "team_survey_link": reverse(
            "team_survey_link",
            args=[impact.team_link_token(wave=end, supervisor=world.participant)],
        ),
        "cohort_path": reverse("cohort_path", args=[slug]),
        "cohort_training_day": reverse("cohort_training_day", args=[slug, day]),
        "cohort_assignment": reverse("cohort_assignment", args=[slug, world.assignment.id]),
        "cohort_overview": reverse("cohort_overview", args=[slug]),
        "participants_import": reverse("participants_import", args=[slug]),
        "invitation_accept": reverse(
            "invitation_accept",
            args=[invitation_token(invitation_create(membership=world.group_mate))],
        ),
        "review_list": reverse("review_list", args=[slug, world.assignment.id]),
        "answer_detail": reverse("answer_detail", args=[slug, answer.id]),
        "workspace": reverse("workspace", args=[slug, group]),
        "workspace_notes": reverse("workspace_notes", args=[slug, group]),
        "workspace_notes_history": reverse("workspace_notes_history", args=[slug, group]),
        "notification_preferences": reverse("notification_preferences"),
        "privacy_home": reverse("privacy_home"),
        "unsubscribe": reverse("unsubscribe", args=[unsubscribe_token(world.participant.user)]),
        "live_day": reverse("live_day", args=[slug, day]),
        "live_projector": reverse("live_projector", args=[slug, day]),
        "live_summaries": reverse("live_summaries", args=[slug, day]),
        "progress_dashboard": reverse("progress_dashboard", args=[slug]),
        "progress_group": reverse("progress_group", args=[slug, group]),
        "progress_person": reverse("progress_person", args=[slug, world.participant.id]),
        "progress_people": reverse("progress_people", args=[slug]),
        "attendance": reverse("attendance", args=[slug, day]),
        "attendance_qr": reverse("attendance_qr", args=[slug, day]),
        "check_in": reverse("check_in", args=[slug, day, check_in_token(world.cohort, world.day)]),
        "account_login": reverse("account_login"),
        "calendar_settings": reverse("calendar_settings"),
        "offline": reverse("offline"),
    }
    urls["mentoring_home"] = reverse("mentoring_home")
    urls["output_share"] = reverse("output_share", args=[slug, group])
    urls["library"] = reverse("library", args=[slug])
    urls["live_commitments"] = reverse("live_commitments", args=[slug])
    for name in MATRIX:  # a reverse-mentoring pair (the classmate mentors the participant),
        if name.startswith("mentoring_") and name not in urls:  # a guide, upward coaching
            urls[name] = _mentoring_url(name, world)
    users = {
        "participant": world.participant.user,
        "trainer": world.trainer.user,
        "organiser": world.organiser.user,
        "anonymous": None,
    }
    by_role = {role: {} for role in ROLES}
    for name, rule in MATRIX.items():
        if rule.method != "GET" or name in NOT_PAGES:
            continue
        for role in ROLES:
            if rule.expect[role] == 200:
                # A KeyError here: a new page in the matrix, to add to `urls` above (or to
                # NOT_PAGES if it is not HTML), so that no page goes unchecked.
                by_role[role][name] = urls[name]
    by_role["anonymous"]["account_login"] = urls["account_login"]
    by_role["anonymous"]["sso_start"] = reverse("sso_start")
    return users, by_role


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => `${v.impact} ${v.id}: ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
        }""",
        WCAG,
    )
    return found


def test_every_page_passes_axe_and_the_html_validator(pages, browser, live_server, tmp_path):
    _needed(AXE, "axe-core")
    users, by_role = pages
    problems, saved = [], []
    for role, urls in by_role.items():
        for size_name, size in (("360", PHONE), ("1280", DESKTOP)):
            context_options = {"viewport": size, "bypass_csp": True}  # to inject axe itself
            if users[role] is None:
                page = browser.new_context(locale="fi-FI", **context_options).new_page()
            else:
                page = _log_in(browser, live_server, users[role], **context_options)
            for name, url in urls.items():
                response = page.goto(live_server.url + url)
                assert response.status == 200, (role, name)
                for violation in _axe(page):
                    problems.append(f"{role} {size_name} {name}: {violation}")
                if size_name == "360":
                    html = tmp_path / f"{role}-{name}.html"
                    html.write_text(response.text())
                    saved.append(str(html))
            page.context.close()
    assert not problems, "\n".join(problems)
    _validate(saved)


def _validate(files: list[str]):
    _needed(VNU, "the Nu HTML validator (vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu HTML validator needs Java: apt-get install default-jre-headless")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
