"""Answering on a phone: drafts saved while typing, conflicts told, submissions, lateness."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.assignments.models import Answer, AnswerRevision
from programmes.models import AnswerScope, AssignmentSchedule
from tests.assignments.conftest import AnswerForm
from tests.conftest import png_bytes


def test_a_draft_saves_while_typing_and_is_there_after_a_reload(form):
    response = form.autosave(0, "Aamukahvilla jokainen kertoi onnistumisen.")
    assert response.status_code == 200 and response.json()["version"] == 1
    page = form.client.get(form.page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Aamukahvilla jokainen kertoi onnistumisen." in page
    assert 'name="version" value="1"' in page
    assert Answer.objects.get().submitted_revision is None  # a draft, not submitted


def test_a_save_based_on_an_older_version_is_told_and_overwrites_nothing(form):
    form.autosave(0, "First tab")
    second_tab = form.autosave(0, "Second tab, opened before the first saved")
    assert second_tab.status_code == 409
    body = second_tab.json()
    assert body["conflict"] and body["version"] == 1
    assert body["content"][form.parts["text"].id] == "First tab"
    assert Answer.objects.get().content[form.parts["text"].id] == "First tab"
    # Merged and saved on the newer version: accepted.
    assert form.autosave(1, "First tab\n\nSecond tab").status_code == 200


def test_a_conflict_on_a_plain_form_post_keeps_the_saved_text_and_says_why(form):
    form.autosave(0, "Saved elsewhere")
    page = form.post(0, "Stale").content.decode()
    assert "changed elsewhere" in page
    assert Answer.objects.get().content[form.parts["text"].id] == "Saved elsewhere"


def test_a_small_group_shares_one_answer_and_keeps_who_changed_what(world):
    assignment = world.assignment
    assignment.answer_scope = AnswerScope.SMALL_GROUP
    assignment.save_revision().publish()
    first = AnswerForm(world)
    mate = AnswerForm(world, world.group_mate)
    first.autosave(0, "Meidän pelisääntömme: 1.")
    mate.autosave(1, "Meidän pelisääntömme: 1. 2.")
    answer = Answer.objects.get()
    assert answer.small_group_id == world.participant.small_group_id
    assert [r.saved_by_id for r in answer.revisions.order_by("saved_at")] == [
        world.participant.user_id,
        world.group_mate.user_id,
    ]
    # A classmate in another small group has an answer of their own.
    AnswerForm(world, world.classmate).autosave(0, "Toinen ryhmä")
    assert Answer.objects.count() == 2


def test_one_persons_saves_in_a_row_fold_into_one_revision(form):
    for version, text in enumerate(["a", "ab", "abc"]):
        form.autosave(version, text)
    assert AnswerRevision.objects.count() == 1
    assert AnswerRevision.objects.get().content[form.parts["text"].id] == "abc"


def test_submitting_on_time_then_resubmitting(form, world):
    AssignmentSchedule.objects.filter(cohort=world.cohort, page=world.assignment).update(
        due_at=timezone.now() + timedelta(days=3)
    )
    page = form.post(0, "Valmis", submit=True).content.decode()
    assert "Submitted. You can still edit" in page
    answer = Answer.objects.get()
    assert answer.submitted_revision and not answer.is_late
    form.post(answer.version, "Valmis ja parannettu", submit=True)
    answer.refresh_from_db()
    assert answer.submitted_revision.content[form.parts["text"].id] == "Valmis ja parannettu"
    assert answer.revisions.filter(is_submission=True).count() == 2


def test_after_the_due_date_an_answer_is_accepted_and_marked_late(form, world):
    # The demo's first assignment was due weeks ago.
    page = form.post(0, "Myöhässä mutta tehty", submit=True).content.decode()
    assert "marked late" in page
    answer = Answer.objects.get()
    assert answer.is_late
    path = form.client.get(
        reverse("cohort_path", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Submitted late" in path


def test_the_path_shows_the_participants_own_status(form, world):
    path_url = reverse("cohort_path", args=[world.cohort.slug])
    form.autosave(0, "Luonnos")
    assert "Draft" in form.client.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_assignment_that_has_not_opened_takes_no_answers(form, world):
    AssignmentSchedule.objects.filter(cohort=world.cohort, page=world.assignment).update(
        opens_at=timezone.now() + timedelta(days=2), due_at=timezone.now() + timedelta(days=9)
    )
    assert form.autosave(0, "Liian aikaisin").status_code == 404
    page = form.client.get(form.page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You can answer when the assignment opens" in page
    assert not Answer.objects.exists()


def test_a_bad_scale_value_is_dropped_with_a_message_and_the_text_kept(world):
    form = AnswerForm(world)
    scale = next(p for p in form.parts.values() if p.kind == "scale")
    response = form.autosave(0, "Teksti säilyy", **{f"part-{scale.id}": "9"})
    assert response.status_code == 200 and response.json()["errors"]
    assert Answer.objects.get().content[form.parts["text"].id] == "Teksti säilyy"


def test_html_in_an_answer_is_shown_as_text(form, world):
    form.post(0, "<script>alert(1)</script>", submit=True)
    answer = Answer.objects.get()
    page = form.client.get(reverse("answer_detail", args=[world.cohort.slug, answer.id]))
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_same_text_arriving_twice_on_an_old_version_is_not_a_conflict(form):
    """A page-leave beacon and the reloaded page's save carry the same text."""
    form.autosave(0, "Sama teksti")
    again = form.autosave(0, "Sama teksti")
    assert again.status_code == 200 and again.json()["version"] == 2


def test_a_required_part_left_empty_cannot_be_submitted_but_the_draft_is_kept(world, form):
    page = world.assignment
    parts = list(page.answer_parts.raw_data)
    for part in parts:
        if part["type"] == "photos":
            part["value"]["required"] = True
    page.answer_parts = parts
    page.save_revision().publish()
    html = form.client.get(
        reverse("cohort_assignment", args=[world.cohort.slug, page.id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "required to submit" in html.content.decode()

    response = form.post(0, "Teksti ilman kuvaa", submit=True)
    assert "Not submitted yet" in response.content.decode()
    answer = Answer.objects.get()
    assert answer.submitted_at is None
    assert answer.content[form.parts["text"].id] == "Teksti ilman kuvaa"  # the draft is kept

    form.upload(SimpleUploadedFile("kuva.png", png_bytes()))
    form.post(Answer.objects.get().version, "Teksti ja kuva", submit=True)
    assert Answer.objects.get().submitted_at is not None


def test_typing_saves_each_version_with_few_statements(form, django_capture_on_commit_callbacks):
    """Every phone that types autosaves every few seconds: a save writes the text and its
    revision and reads nothing it already knows; the person's "active today" is marked once."""
    with django_capture_on_commit_callbacks(execute=True):
        version = form.autosave(0, "Aamu").json()["version"]
    with CaptureQueriesContext(connection) as queries:
        response = form.autosave(version, "Aamukahvi")
    assert response.status_code == 200
    assert response.json()["version"] == version + 1
    answer = Answer.objects.get(participant=form.membership)
    assert (answer.version, answer.content[str(form.parts["text"].id)]) == (
        version + 1,
        "Aamukahvi",
    )
    assert answer.revisions.first().content == answer.content
    # (SAVEPOINTs are the test's own transaction: a request commits instead.)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # Active today already: the mark matches nothing and asks no refresh of the cohort.
    assert not [s for s in statements if "progress_cohortprogress" in s], statements
    assert len(statements) <= 6, statements
