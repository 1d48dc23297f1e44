"""Trainers review with coaching questions; participants are told and answer back."""

import re

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.people.models import Membership, Role, User
from programmes.assignments.models import Answer, ReviewComment
from tests.assignments.conftest import AnswerForm
from tests.conftest import answer_build, client_for


def _review_list(world, user):
    return client_for(user).get(
        reverse("review_list", args=[world.cohort.slug, world.assignment.id]),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_review_list_shows_who_answered_who_is_late_and_who_has_not_started(world):
    answer_build(world)  # the participant submits (after the due date: late)
    AnswerForm(world, world.group_mate).autosave(0, "Vasta luonnos")
    html = _review_list(world, world.trainer.user).content.decode()
    assert "Submitted late: 1" in html
    assert "Draft: 1" in html
    assert "Not started: 1" in html  # the classmate
    answer = Answer.objects.get(participant=world.participant)
    assert reverse("answer_detail", args=[world.cohort.slug, answer.id]) in html
    # A draft is the participant's own until submitted: no link to it.
    draft = Answer.objects.get(participant=world.group_mate)
    assert reverse("answer_detail", args=[world.cohort.slug, draft.id]) not in html


def test_organisers_see_the_figures_but_not_the_answers(world):
    answer = answer_build(world)
    html = _review_list(world, world.organiser.user).content.decode()
    assert "Submitted late: 1" in html
    assert reverse("answer_detail", args=[world.cohort.slug, answer.id]) not in html
    detail = client_for(world.organiser.user).get(
        reverse("answer_detail", args=[world.cohort.slug, answer.id])
    )
    assert detail.status_code == 404


def test_a_trainer_steps_through_submitted_answers_with_next_and_previous(world):
    first = answer_build(world)
    mate = AnswerForm(world, world.group_mate)
    mate.post(0, "Toinen vastaus", submit=True)
    second = Answer.objects.get(participant=world.group_mate)
    trainer = client_for(world.trainer.user)
    pages = {
        a.id: trainer.get(
            reverse("answer_detail", args=[world.cohort.slug, a.id]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        for a in (first, second)
    }
    ids = sorted(pages)
    assert reverse("answer_detail", args=[world.cohort.slug, ids[1]]) in pages[ids[0]]
    assert reverse("answer_detail", args=[world.cohort.slug, ids[0]]) in pages[ids[1]]


def test_the_trainer_reads_the_submitted_version_not_later_drafts(world):
    answer = answer_build(world)
    form = AnswerForm(world)
    form.autosave(answer.version, "Keskeneräinen muokkaus")
    html = (
        client_for(world.trainer.user)
        .get(reverse("answer_detail", args=[world.cohort.slug, answer.id]))
        .content.decode()
    )
    assert "Pidimme aamukahvit." in html
    assert "Keskeneräinen muokkaus" not in html


def test_a_coaching_question_reaches_the_participant_who_answers_back(world, committed):
    answer = answer_build(world)
    url = reverse("answer_comment", args=[world.cohort.slug, answer.id])
    with committed():
        client_for(world.trainer.user).post(url, {"body": "Mitä kokeilet ensi kerralla?"})
    assert [m.to for m in mail.outbox] == [[world.participant.user.email]]
    assert "Mitä kokeilet ensi kerralla?" in mail.outbox[0].body
    assert reverse("answer_detail", args=[world.cohort.slug, answer.id]) in mail.outbox[0].body
    with committed():
        client_for(world.participant.user).post(url, {"body": "Kokeilen kysyä tiimiltä."})
    assert mail.outbox[1].to == [world.trainer.user.email]
    html = (
        client_for(world.participant.user)
        .get(reverse("answer_detail", args=[world.cohort.slug, answer.id]))
        .content.decode()
    )
    assert "Mitä kokeilet ensi kerralla?" in html and "Kokeilen kysyä tiimiltä." in html


def test_an_empty_message_is_refused_with_a_reason(world):
    answer = answer_build(world)
    page = (
        client_for(world.trainer.user)
        .post(
            reverse("answer_comment", args=[world.cohort.slug, answer.id]),
            {"body": "   "},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
        .content.decode()
    )
    assert "Write a message first" in page
    assert not ReviewComment.objects.exists()


def test_a_notification_is_sent_once_however_often_the_task_runs(world):
    from programmes.assignments.services import review_comment_add
    from programmes.assignments.tasks import review_comment_notify

    comment = review_comment_add(
        answer=answer_build(world), author=world.trainer.user, body="Kysymys"
    )
    review_comment_notify(comment.id)
    review_comment_notify(comment.id)
    assert len(mail.outbox) == 1


def test_a_retry_after_a_failed_send_mails_only_those_still_waiting(world):
    """Issue 12, item 6: the task mailed the whole thread again when one address failed."""
    from unittest import mock

    import pytest
    from django.core.mail import EmailMessage

    from programmes.assignments.services import review_comment_add
    from programmes.assignments.tasks import review_comment_notify

    answer = answer_build(world)
    review_comment_add(answer=answer, author=world.group_mate.user, body="Hyvä idea!")
    mail.outbox.clear()
    comment = review_comment_add(answer=answer, author=world.trainer.user, body="Entä sitten?")
    real_send = EmailMessage.send
    # The thread is the participant and the group mate; the second address fails once.
    failing = {world.group_mate.user.email}

    def send(message, *args, **kwargs):
        if failing & set(message.to):
            failing.clear()  # the mail server fails once for this address
            raise OSError("mail server went away")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        with pytest.raises(OSError):
            review_comment_notify.run(comment.id)
        review_comment_notify.run(comment.id)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.participant.user.email, world.group_mate.user.email])


def test_the_trainer_marks_an_answer_reviewed_and_the_participant_sees_it(world):
    answer = answer_build(world)
    client_for(world.trainer.user).post(
        reverse("answer_reviewed", args=[world.cohort.slug, answer.id]), {"reviewed": "true"}
    )
    answer.refresh_from_db()
    assert answer.reviewed_by == world.trainer.user
    path = client_for(world.participant.user).get(
        reverse("cohort_path", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Reviewed" in path.content.decode()


def test_the_review_list_costs_the_same_queries_for_25_and_500_participants(world):
    def grow(n):
        start = User.objects.count()
        users = User.objects.bulk_create(
            [User(email=f"r{start + i}@example.com") for i in range(n)]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, cohort=world.cohort, role=Role.PARTICIPANT) for u in users]
        )

    client = client_for(world.trainer.user)
    url = reverse("review_list", args=[world.cohort.slug, world.assignment.id])
    answer_build(world)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(25 - 4)
    small = count()
    grow(475)
    assert count() == small


def test_a_large_cohort_is_listed_a_page_at_a_time_and_the_filter_is_kept(world):
    from programmes.assignments.views import REVIEW_PAGE

    users = User.objects.bulk_create(
        [User(email=f"big{i}@example.com", first_name=f"AAA{i:03d}") for i in range(REVIEW_PAGE)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, cohort=world.cohort, role=Role.PARTICIPANT, joined_at=timezone.now())
            for u in users
        ]
    )
    url = reverse("review_list", args=[world.cohort.slug, world.assignment.id])
    trainer = client_for(world.trainer.user)
    first = trainer.get(url, {"status": "not_started"}, HTTP_ACCEPT_LANGUAGE="en")
    html = first.content.decode()
    # (Named to sort first: the test world's own names are random.)
    names = set(re.findall(r"AAA\d{3}", html))
    assert len(names) == REVIEW_PAGE  # one page of rows
    assert "Page 1 of 2" in html
    assert "?status=not_started&amp;page=2" in html  # Next keeps what is shown
    rest = trainer.get(url, {"status": "not_started", "page": 2}, HTTP_ACCEPT_LANGUAGE="en")
    rest = rest.content.decode()
    assert not re.findall(r"AAA\d{3}", rest)  # none twice
    assert world.group_mate.user.get_full_name() in rest  # the others
    everyone = Membership.objects.joined_participants().filter(cohort=world.cohort).count()
    assert f"Not started: {everyone}" in html  # the counts are of everyone, not the page


def test_the_review_list_filters_by_status_and_reminds_who_has_not_submitted(
    world, committed, mailoutbox
):
    from programmes.assignments.services import answer_get_or_create, answer_save

    answer = answer_get_or_create(membership=world.participant, assignment=world.assignment)
    answer_save(answer=answer, user=world.participant.user, base_version=0, content={}, submit=True)
    url = reverse("review_list", args=[world.cohort.slug, world.assignment.id])
    trainer = client_for(world.trainer.user)
    late = trainer.get(url, {"status": "not_started"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world.group_mate.user.get_full_name() in late
    assert world.participant.user.get_full_name() not in late  # they submitted

    remind = reverse("review_remind", args=[world.cohort.slug, world.assignment.id])
    with committed():
        trainer.post(remind, {"only": world.group_mate.id})  # the row's own button
    with committed():
        trainer.post(remind, {"member": [world.group_mate.id]})  # ticked, the same day
    assert [m.to for m in mailoutbox] == [[world.group_mate.user.email]]  # once a day at most
    assert "reminds you" in mailoutbox[0].body or "muistuttaa" in mailoutbox[0].body
    # Who submitted is not remindable; organisers cannot remind.
    with committed():
        trainer.post(remind, {"member": [world.participant.id]})
    assert len(mailoutbox) == 1
    assert (
        client_for(world.organiser.user).post(remind, {"member": [world.group_mate.id]}).status_code
        == 404
    )


def test_a_double_tap_on_mark_reviewed_does_not_undo_it(world):
    answer = answer_build(world)
    url = reverse("answer_reviewed", args=[world.cohort.slug, answer.id])
    trainer = client_for(world.trainer.user)
    trainer.post(url, {"reviewed": "true"})
    trainer.post(url, {"reviewed": "true"})  # the same button, tapped twice
    answer.refresh_from_db()
    assert answer.reviewed_at is not None
    page = trainer.get(
        reverse("answer_detail", args=[world.cohort.slug, answer.id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Mark as not reviewed" in page.content.decode()


def test_new_feedback_shows_on_the_path_and_above_the_answer_until_it_is_read(world, committed):
    from programmes.assignments.services import review_comment_add

    answer = answer_build(world)
    path_url = reverse("cohort_path", args=[world.cohort.slug])
    assignment_url = reverse("cohort_assignment", args=[world.cohort.slug, world.assignment.id])
    participant = client_for(world.participant.user)
    assert (
        "New feedback" not in participant.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    with committed():
        review_comment_add(
            answer=answer, author=world.trainer.user, body="Mitä kokeilet seuraavaksi?"
        )
    assert "New feedback" in participant.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = participant.get(assignment_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mitä kokeilet seuraavaksi?" in page and "New feedback" in page
    assert reverse("answer_detail", args=[world.cohort.slug, answer.id]) + "#comment-body" in page
    # Seen now: neither the path nor the assignment calls it new any more.
    assert (
        "New feedback" not in participant.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    page = participant.get(assignment_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mitä kokeilet seuraavaksi?" in page and "New feedback" not in page
