"""The dashboard, its drill-downs and exports: what each person sees, and that it reads the
stored figures in the same number of queries for 25 and for 5,000 participants."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from polku.people.models import Membership, Role, SmallGroup, User
from progress import rollups
from progress.models import CohortProgress, ParticipantProgress
from progress.services import attendance_mark
from tests.conftest import client_for
from tests.test_query_counts import _queries


@pytest.fixture
def figures(world, three_due, committed):
    """The participant answers nothing (three assignments missing: behind) and missed the
    first day ("Sairas"); the classmate answered two of three."""
    from programmes.assignments.services import answer_get_or_create, answer_save

    world.participant.user.first_name, world.participant.user.last_name = "Äijä", "Öhman"
    world.participant.user.save()
    for page in three_due[:2]:
        answer = answer_get_or_create(membership=world.classmate, assignment=page)
        answer_save(
            answer=answer,
            user=world.classmate.user,
            base_version=0,
            content={"x": "Salainen vastaus"},
            submit=True,
            now=timezone.now() - timedelta(days=2),
        )
    attendance_mark(
        cohort=world.cohort,
        training_day=world.day,
        marks={
            world.participant.id: ("absent", "Sairas", False),
            world.classmate.id: ("present", "", False),
        },
        trainer=world.trainer.user,
    )
    rollups.cohort_reconcile(world.cohort.id)
    rollups.snapshot_write(world.cohort.id, timezone.localdate() - timedelta(days=7))
    return world


def _get(user, name, *args, lang="en", **params):
    return client_for(user).get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE=lang)


def test_the_dashboard_shows_who_is_behind_and_what_they_miss(figures):
    page = _get(figures.organiser.user, "progress_dashboard", figures.cohort.slug)
    body = page.content.decode()
    assert "Äijä Öhman" in body
    behind = body[body.index("Who needs a nudge") : body.index("Coming up")]
    assert three_titles(figures)[0] in behind  # the missing assignment, by name
    assert figures.day.title in behind  # the missed day
    assert figures.classmate.user.get_full_name() not in behind
    assert "<svg" in body and "polyline" in body  # the year's chart: a snapshot and today
    assert "Group 1" in body and "Group 2" in body


def three_titles(world):
    from programmes.models import AssignmentPage

    return [p.title for p in AssignmentPage.objects.child_of(world.cohort.programme)[:3]]


@pytest.mark.parametrize("role", ["trainer", "organiser"])
def test_who_needs_a_nudge_is_reminded_from_the_dashboard_of_what_they_miss(
    figures, role, committed, mailoutbox
):
    staff = client_for(getattr(figures, role).user)
    dashboard = staff.get(
        reverse("progress_dashboard", args=[figures.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f'name="only" value="{figures.participant.id}"' in dashboard
    nudge = reverse("progress_nudge", args=[figures.cohort.slug])
    with committed():
        answer = staff.post(nudge, {"only": figures.participant.id}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [figures.participant.user.email]
    assert three_titles(figures)[0] in mail.body and figures.day.title in mail.body
    with committed():  # ticked the same day: nobody gets a second one
        staff.post(nudge, {"member": [figures.participant.id]})
    assert len(mailoutbox) == 1
    # Someone who is not behind cannot be nudged from here.
    with committed():
        refused = staff.post(nudge, {"member": [figures.classmate.id]}, follow=True)
    assert len(mailoutbox) == 1
    refusal = refused.content.decode()  # in the person's own language
    assert "those who are behind" in refusal or "ne, jotka ovat jäljessä" in refusal


def test_people_invited_but_not_joined_are_not_counted_until_they_join(figures, committed):
    from polku.people.services import membership_add, memberships_join

    with committed():
        invited, _new = membership_add(
            cohort=figures.cohort, email="uusi@example.com", role="participant", name="Uusi"
        )
    dashboard = _get(figures.organiser.user, "progress_dashboard", figures.cohort.slug)
    body = dashboard.content.decode()
    assert "1 invited, not joined yet" in body
    participants = CohortProgress.objects.get(cohort=figures.cohort).participants
    assert participants == 3
    everyone = _get(figures.organiser.user, "progress_people", figures.cohort.slug)
    assert "Uusi" not in everyone.content.decode()
    with committed():
        memberships_join(user=invited.user)
    body = _get(figures.organiser.user, "progress_dashboard", figures.cohort.slug).content
    assert "invited, not joined yet" not in body.decode()
    assert CohortProgress.objects.get(cohort=figures.cohort).participants == 4
    assert (
        "Uusi"
        in _get(figures.organiser.user, "progress_people", figures.cohort.slug).content.decode()
    )


def test_organisers_see_figures_never_answers_or_reasons(figures):
    for name, args in (
        ("progress_dashboard", [figures.cohort.slug]),
        ("progress_person", [figures.cohort.slug, figures.participant.id]),
        ("progress_group", [figures.cohort.slug, figures.participant.small_group_id]),
    ):
        body = _get(figures.organiser.user, name, *args).content.decode()
        assert "Salainen vastaus" not in body
        assert "Sairas" not in body
    export = _get(
        figures.organiser.user, "progress_export", figures.cohort.slug, "attendance", "csv"
    ).content.decode("utf-8-sig")
    assert "Sairas" not in export


def test_trainers_see_the_reason_for_an_absence(figures):
    body = _get(
        figures.trainer.user, "progress_person", figures.cohort.slug, figures.participant.id
    ).content.decode()
    assert "Sairas" in body
    assert "Absent" in body and "Missing" in body


def test_another_organisations_organiser_gets_404_everywhere(figures, other_world):
    outsider = other_world.organiser.user
    slug = figures.cohort.slug
    for name, args in (
        ("progress_dashboard", [slug]),
        ("progress_group", [slug, figures.participant.small_group_id]),
        ("progress_person", [slug, figures.participant.id]),
        ("progress_export", [slug, "people", "xlsx"]),
        ("attendance", [slug, figures.day.id]),
    ):
        assert _get(outsider, name, *args).status_code == 404, name
    # Through their own cohort, another cohort's group or person is 404 as well.
    own = other_world.cohort.slug
    assert (
        _get(outsider, "progress_group", own, figures.participant.small_group_id).status_code == 404
    )
    assert _get(outsider, "progress_person", own, figures.participant.id).status_code == 404


def test_unknown_export_formats_are_404(figures):
    assert (
        _get(
            figures.organiser.user, "progress_export", figures.cohort.slug, "people", "pdf"
        ).status_code
        == 404
    )
    assert (
        _get(
            figures.organiser.user, "progress_export", figures.cohort.slug, "answers", "csv"
        ).status_code
        == 404
    )


def test_the_csv_export_opens_in_finnish_excel(figures):
    response = _get(
        figures.organiser.user, "progress_export", figures.cohort.slug, "people", "csv", lang="fi"
    )
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # UTF-8 for Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nimi" and rows[0][-1] == "Jäljessä"
    person = next(r for r in rows if r[0] == "Äijä Öhman")
    header = rows[0]
    assert person[header.index("Puuttuu")] == "3"
    assert person[header.index("Jäljessä")] == "Kyllä"
    assert 'filename="cohort-a-' in response["Content-Disposition"]
    attendance = _get(
        figures.organiser.user,
        "progress_export",
        figures.cohort.slug,
        "attendance",
        "xlsx",
        lang="fi",
    )
    assert "filename*=utf-8''cohort-a-l%C3%A4sn%C3%A4olo.xlsx" in attendance["Content-Disposition"]


def test_the_xlsx_export_has_the_table(figures):
    response = _get(figures.trainer.user, "progress_export", figures.cohort.slug, "people", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Email", "Small group")
    person = next(r for r in rows if r[0] == "Äijä Öhman")
    header = rows[0]
    assert person[header.index("Missing")] == 3
    assert person[header.index("Training days attended")] == 0
    assert person[header.index("Behind")] == "Yes"
    assert len(rows) == 1 + 3  # everyone in the cohort, once


def test_the_attendance_export_has_a_column_per_day_held(figures):
    response = _get(
        figures.trainer.user, "progress_export", figures.cohort.slug, "attendance", "xlsx"
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert len(rows[0]) == 2 + 2  # name, group, the two days held
    assert figures.day.title in rows[0][2]
    person = next(r for r in rows if r[0] == "Äijä Öhman")
    assert person[2] == "Absent: Sairas"  # the trainer's export keeps the reason


def _crowd(world, size: int):
    """`size` more participants in ten groups, with stored figures (a fifth behind)."""
    start = User.objects.count()
    groups = SmallGroup.objects.bulk_create(
        [SmallGroup(cohort=world.cohort, name=f"Crowd {start} {n}") for n in range(10)]
    )
    users = User.objects.bulk_create(
        [User(email=f"crowd{start + n}@example.com", password="!") for n in range(size)]
    )
    members = Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                cohort=world.cohort,
                role=Role.PARTICIPANT,
                small_group=groups[n % 10],
                joined_at=timezone.now(),
            )
            for n, u in enumerate(users)
        ]
    )
    ParticipantProgress.objects.bulk_create(
        [
            ParticipantProgress(
                membership=m,
                cohort=world.cohort,
                small_group=m.small_group,
                behind=n % 5 == 0,
                assignments_missing=2 * (n % 5 == 0),
                assignments={"1": ["missing", False]},
                days={},
                stale=False,
                computed_at=timezone.now(),
            )
            for n, m in enumerate(members)
        ]
    )
    rollups.cohort_reconcile(world.cohort.id)


@pytest.mark.parametrize("role", ["trainer", "organiser"])
def test_the_dashboard_does_not_grow_with_the_cohort(world, role):
    client = client_for(getattr(world, role).user)
    url = reverse("progress_dashboard", args=[world.cohort.slug])
    _crowd(world, 22)  # 25 participants
    small = _queries(client, url)
    _crowd(world, 4975)  # 5,000
    large = _queries(client, url)
    assert small == large <= 12, (small, large)


def test_a_group_page_does_not_grow_with_the_cohort(world):
    client = client_for(world.trainer.user)
    url = reverse("progress_group", args=[world.cohort.slug, world.participant.small_group_id])
    _crowd(world, 22)
    small = _queries(client, url)
    _crowd(world, 978)
    assert _queries(client, url) == small


def test_everyone_a_page_at_a_time_or_only_those_behind(world):
    from progress.selectors import PEOPLE_PAGE

    _crowd(world, 120)  # 123 participants
    crowd = ParticipantProgress.objects.filter(cohort=world.cohort).order_by("membership_id")
    behind_ids = list(crowd.values_list("membership_id", flat=True))[::5]  # 25 of them
    crowd.update(behind=False)
    crowd.filter(membership_id__in=behind_ids).update(behind=True)
    client = client_for(world.organiser.user)
    url = reverse("progress_people", args=[world.cohort.slug])
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "123 people" in first and "Page 1 of 3" in first
    assert len(re.findall(r"/progress/people/\d+/", first)) == PEOPLE_PAGE  # links to people
    behind = client.get(url, {"behind": "1"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "25 people" in behind and behind.count('class="is-behind"') == 25
    assert client.get(url, {"page": "999"}).status_code == 200  # the last page, not an error
    small = _queries(client, url)
    _crowd(world, 1000)
    assert _queries(client, url + "?page=3") == small
