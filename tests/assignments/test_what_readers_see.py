"""Readers of an answer see what was submitted, nothing more (issue 11, findings 7 and 16):
a draft is the participant's own, files added or removed since the submission wait for the
next one, and a double-tapped submit or a burst of photos stores what one tap would."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from programmes.assignments.models import AnswerRevision
from programmes.assignments.parts import answer_parts
from programmes.assignments.services import (
    UploadRefused,
    answer_file_add,
    answer_file_remove,
    answer_get_or_create,
    answer_save,
)
from tests.conftest import answer_build, client_for, png_bytes, world_build


def _photo_part(world):
    return next(p for p in answer_parts(world.assignment) if p.kind == "photos")


def _add_photo(world, answer, key, color="red"):
    return answer_file_add(
        answer=answer,
        user=world.participant.user,
        part=_photo_part(world),
        upload=SimpleUploadedFile(f"{key}.png", png_bytes(color=color)),
        client_key=key,
    )


def test_a_trainer_cannot_open_a_draft(world):
    draft = answer_build(world, submit=False)
    trainer = client_for(world.trainer.user)
    slug = world.cohort.slug
    assert trainer.get(reverse("answer_detail", args=[slug, draft.id])).status_code == 404
    photo = draft.files.get()
    assert trainer.get(reverse("answer_file", args=[slug, draft.id, photo.id])).status_code == 404


def test_readers_see_the_submitted_files_until_the_next_submission(world):
    answer = answer_build(world)  # submitted with one photo
    submitted_photo = answer.files.get()
    later = _add_photo(world, answer, "later", color="blue")
    answer_file_remove(answer=answer, answer_file_id=submitted_photo.id)
    slug = world.cohort.slug
    trainer = client_for(world.trainer.user)

    def file_status(client, answer_file):
        url = reverse("answer_file", args=[slug, answer.id, answer_file.id])
        return client.get(url).status_code

    assert file_status(trainer, submitted_photo) == 200
    assert file_status(trainer, later) == 404
    # The participant works on the answer as it is now.
    owner = client_for(world.participant.user)
    assert file_status(owner, later) == 200
    assert file_status(owner, submitted_photo) == 404
    # Submitting again shows the trainer the new state, and the removed photo is gone.
    answer.refresh_from_db()
    answer_save(
        answer=answer,
        user=world.participant.user,
        base_version=answer.version,
        content={},
        submit=True,
    )
    assert file_status(trainer, later) == 200
    assert file_status(trainer, submitted_photo) == 404
    assert not answer.files.filter(id=submitted_photo.id).exists()


def test_a_double_tapped_submit_stores_one_submission(world):
    answer = answer_build(world, submit=False)
    text = next(p for p in answer_parts(world.assignment) if p.kind == "text")
    url = reverse("answer_save", args=[world.cohort.slug, world.assignment.id])
    client = client_for(world.participant.user)
    data = {"version": answer.version, "submit_answer": "true", f"part-{text.id}": "Valmis."}
    for _tap in range(3):
        client.post(url, data)
    assert AnswerRevision.objects.filter(answer=answer, is_submission=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_photos_sent_at_once_stop_at_the_parts_limit():
    world = world_build("burst")
    answer = answer_get_or_create(membership=world.participant, assignment=world.assignment)
    limit = _photo_part(world).max_photos
    refused = []

    def send(n):
        try:
            _add_photo(world, answer, f"burst-{n}")
        except UploadRefused:
            refused.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(limit + 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answer.files.count() == limit
    assert len(refused) == 3
