"""A small group shares its notes or a group task's result with the cohort: the cohort's
library, by training day and theme, read by every member of the cohort and exported by
staff; the group can withdraw what it shared."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from programmes.models import AssignmentPage, TrainingDayPage
from tests.conftest import answer_build, client_for
from workspaces import services
from workspaces.models import SharedOutput


def _group_task_submitted(world) -> AssignmentPage:
    """The participant's small group submits the group task (Assignment 3)."""
    assignment = AssignmentPage.objects.child_of(world.cohort.programme).get(title="Assignment 3")
    answer_build(
        world,
        assignment=assignment,
        text="Palaverin alussa jokainen kertoo yhden onnistumisen.\nToimii!",
    )
    return assignment


def test_a_group_shares_and_the_whole_cohort_finds_it_by_day_and_theme(world, other_world):
    group = world.participant.small_group
    services.note_save(
        group=group,
        user=world.participant.user,
        base_version=0,
        body="# Pelisäännöt\n\nKysy ensin, <script>alert(1)</script> kerro sitten.",
    )
    assignment = _group_task_submitted(world)
    day = TrainingDayPage.objects.child_of(world.cohort.programme).get(title="Day 2")
    member = client_for(world.group_mate.user)
    share = reverse("output_share", args=[world.cohort.slug, group.id])
    member.post(
        share,
        {"what": "note", "title": "Palautteen pelisäännöt", "theme": "Palaute", "day": day.id},
    )
    member.post(
        share,
        {
            "what": str(assignment.id),
            "title": "Onnistumiskierros",
            "theme": "Palaute",
            "day": day.id,
        },
    )
    assert SharedOutput.objects.count() == 2
    library = reverse("library", args=[world.cohort.slug])
    page = client_for(world.classmate.user).get(library).content.decode()  # another group
    assert "Day 2" in page and "Palaute" in page
    assert "Palautteen pelisäännöt" in page and "Kysy ensin" in page
    assert "jokainen kertoo yhden onnistumisen" in page and "<script>alert" not in page
    assert client_for(other_world.participant.user).get(library).status_code == 404
    export = client_for(world.organiser.user).get(
        reverse("library_export", args=[world.cohort.slug, "xlsx"])
    )
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(row[2] == "Onnistumiskierros" and "Toimii!" in row[5] for row in rows)
    output = SharedOutput.objects.get(title="Onnistumiskierros")
    member.post(reverse("output_withdraw", args=[world.cohort.slug, group.id, output.id]))
    assert "Onnistumiskierros" not in client_for(world.classmate.user).get(library).content.decode()


def test_sharing_what_is_not_there_gets_a_clear_message(world):
    group = world.participant.small_group
    share = reverse("output_share", args=[world.cohort.slug, group.id])
    member = client_for(world.participant.user)
    empty = member.post(
        share, {"what": "note", "title": "Muistiinpanot"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert empty.status_code == 200 and "Your notes are empty" in empty.content.decode()
    unsubmitted = AssignmentPage.objects.child_of(world.cohort.programme).get(title="Assignment 3")
    refused = member.post(
        share, {"what": str(unsubmitted.id), "title": "Tulos"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 200 and not SharedOutput.objects.exists()
    other_group = world.classmate.small_group
    output = SharedOutput.objects.create(
        cohort=world.cohort,
        small_group=other_group,
        kind="note",
        title="Toisten",
        body_html="<p>x</p>",
    )
    member.post(reverse("output_withdraw", args=[world.cohort.slug, group.id, output.id]))
    assert SharedOutput.objects.filter(id=output.id).exists()  # not their group's to withdraw
