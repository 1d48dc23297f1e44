"""A person's data: exported (zip, by a worker, a link that expires), erased on request,
anonymised when the organisation's retention period ends; and the audit log of it all."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import Action, AuditEntry
from polku.people.models import Membership, User
from polku.uploads.models import StoredFile
from privacy import services
from privacy.models import DataExport
from programmes.assignments.models import Answer
from programmes.live.models import LiveAnswer
from programmes.live.services import answer_submit
from progress import rollups
from progress.models import CohortProgress, ParticipantProgress
from tests.conftest import answer_build, client_for, live_question_build, post_build
from tests.factories import PASSWORD
from workspaces.models import Post


@pytest.fixture
def lived_in(world, committed):
    """The participant has an answer with a photo, a post with a photo, a live answer."""
    with committed():
        answer_build(world)
        post_build(world)
        answer_submit(
            question=live_question_build(world), user=world.participant.user, raw="aamukahvi"
        )
    rollups.cohort_reconcile(world.cohort.id)
    return world


def test_a_person_downloads_all_their_data_as_a_zip(lived_in, committed):
    world = lived_in
    client = client_for(world.participant.user)
    with committed():
        client.post(reverse("privacy_home"))
    export = DataExport.objects.get(user=world.participant.user)
    assert export.ready_at and export.expires_at > timezone.now()
    [email] = [m for m in mail.outbox if world.participant.user.email in m.to]
    assert reverse("privacy_home") in email.body
    response = client.get(reverse("data_export_download", args=[export.id]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == world.participant.user.email
    assert data["answers"][0]["content"]
    assert data["posts"][0]["body"].startswith("Kokeilin aamukahvia")
    assert data["live_answers"][0]["value"] == "aamukahvi"
    photos = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(photos) == 2  # the answer's photo and the post's
    # nobody else's export, and no export after it expires
    other = client_for(world.group_mate.user)
    assert other.get(reverse("data_export_download", args=[export.id])).status_code == 404
    DataExport.objects.filter(id=export.id).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(reverse("data_export_download", args=[export.id])).status_code == 404
    assert services.exports_expire(timezone.now()) == 1
    assert AuditEntry.objects.filter(action=Action.EXPORT, subject_id=export.user_id).exists()


def test_an_admin_exports_and_erases_a_person(lived_in, committed, django_user_model):
    world = lived_in
    person = world.participant.user
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")
    from allauth.socialaccount.models import SocialAccount
    from django.test import Client

    # They had signed in at their organisation's sign-in service, too.
    SocialAccount.objects.create(user=person, provider="oidc-x", uid="p-1", extra_data={"a": 1})

    client = Client()
    client.force_login(admin)
    with committed():
        client.post(reverse("privacy_admin_person_export", args=[person.id]))
    export = DataExport.objects.get(user=person)
    assert client.get(reverse("privacy_admin_download", args=[export.id])).status_code == 200
    # erasure needs the email typed in
    erase = reverse("privacy_admin_person_erase", args=[person.id])
    refused = client.post(erase, {"confirm": "wrong@x.test"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "not this person" in refused.content.decode()
    assert User.objects.get(id=person.id).erased_at is None
    with committed():
        response = client.post(erase, {"confirm": person.email})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at and not person.is_active and not person.has_usable_password()
    assert person.first_name == "" and "erased" in person.email
    assert str(person) in ("a former participant", "entinen osallistuja")
    assert not Membership.objects.filter(user=person).exists()
    assert not Answer.objects.filter(participant__user=person).exists()
    assert not StoredFile.objects.filter(owner=person).exists()
    assert not DataExport.objects.filter(user=person).exists()
    assert not SocialAccount.objects.filter(user=person).exists()  # no sign-in there either
    # kept without them: the post (its photo gone) and the live answer
    post = Post.objects.get(author=person)
    assert post.files.count() == 0
    workspace = client_for(world.group_mate.user).get(
        reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id]),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert "entinen osallistuja" in workspace.content.decode()
    assert "erased" not in workspace.content.decode()
    assert LiveAnswer.objects.filter(user=person).count() == 1
    # the cohort's figures no longer count them
    assert CohortProgress.objects.get(cohort=world.cohort).participants == 2
    assert not client_for(None).login(email=person.email, password=PASSWORD)
    assert AuditEntry.objects.filter(action=Action.ERASURE, subject_id=person.id, actor=admin)


def test_only_admins_reach_a_persons_export_and_erasure(world):
    person = world.participant.user
    for route in ("privacy_admin_person", "privacy_admin_person_export"):
        for member in (world.trainer, world.organiser, world.participant):
            client = client_for(member.user)
            response = client.post(reverse(route, args=[person.id]))
            assert response.status_code in (302, 403, 405)
    assert not DataExport.objects.filter(user=person).exists()
    page = reverse("privacy_admin_person_erase", args=[person.id])
    for member in (world.trainer, world.organiser, world.participant):
        response = client_for(member.user).post(page, {"confirm": person.email})
        assert response.status_code in (302, 403)
    assert User.objects.get(id=person.id).erased_at is None


def _end_cohort(world, days_ago: int):
    from programmes.models import AssignmentSchedule, TrainingDaySchedule

    moment = timezone.now() - timedelta(days=days_ago)
    TrainingDaySchedule.objects.filter(cohort=world.cohort).update(
        starts_at=moment - timedelta(hours=8), ends_at=moment - timedelta(hours=1)
    )
    AssignmentSchedule.objects.filter(cohort=world.cohort).update(
        opens_at=moment - timedelta(days=9), due_at=moment - timedelta(days=2)
    )


def test_organisers_are_warned_a_month_before_retention_and_then_data_goes(lived_in, committed):
    world = lived_in
    world.cohort.organisation.retention_months = 1
    world.cohort.organisation.save()
    _end_cohort(world, days_ago=10)  # due in about 20 days: warn
    mail.outbox.clear()
    services.retention_sweep(timezone.now())
    services.retention_sweep(timezone.now())  # once only
    warnings = [m for m in mail.outbox if world.organiser.user.email in m.to]
    assert len(warnings) == 1 and world.cohort.name in warnings[0].subject
    assert Answer.objects.filter(cohort=world.cohort).exists()

    before = CohortProgress.objects.get(cohort=world.cohort)
    with committed():  # an export the participant made and never fetched goes too
        services.export_request(user=world.participant.user, requested_by=world.participant.user)
    _end_cohort(world, days_ago=40)  # past due: anonymise
    with committed():
        assert services.retention_sweep(timezone.now())["anonymised"] == 1
    world.cohort.refresh_from_db()
    assert world.cohort.anonymised_at
    assert not Answer.objects.filter(cohort=world.cohort).exists()
    assert not Post.objects.filter(small_group__cohort=world.cohort).exists()
    assert not LiveAnswer.objects.filter(question__cohort=world.cohort).exists()
    assert not ParticipantProgress.objects.filter(cohort=world.cohort).exists()
    assert not Membership.objects.filter(cohort=world.cohort, role="participant").exists()
    participant = User.objects.get(id=world.participant.user_id)
    assert participant.erased_at and participant.first_name == ""
    assert not DataExport.objects.filter(user=participant).exists()
    # figures remain, and the nightly reconciliation leaves them alone
    rollups.cohort_reconcile(world.cohort.id)
    after = CohortProgress.objects.get(cohort=world.cohort)
    assert (after.participants, after.days_attended) == (before.participants, before.days_attended)
    assert (
        client_for(world.organiser.user)
        .get(reverse("progress_dashboard", args=[world.cohort.slug]))
        .status_code
        == 200
    )
    assert AuditEntry.objects.filter(action=Action.RETENTION).count() == 1
    assert services.retention_sweep(timezone.now())["anonymised"] == 0


def test_staff_reading_an_answer_and_roles_given_are_in_the_audit_log(world, django_user_model):
    answer = answer_build(world)
    client_for(world.trainer.user).get(
        reverse("answer_detail", args=[world.cohort.slug, answer.id])
    )
    entry = AuditEntry.objects.get(action=Action.ANSWER_READ)
    assert entry.actor == world.trainer.user and entry.subject_id == world.participant.user_id
    from polku.people.services import membership_add

    membership_add(
        cohort=world.cohort, email="uusi@x.test", role="trainer", by=world.organiser.user
    )
    assert AuditEntry.objects.filter(action=Action.ROLE, actor=world.organiser.user).exists()
    # admins read the log in the Wagtail admin; trainers do not
    admin = django_user_model.objects.create_superuser("root@polku.test", "a-long-pw-1")
    from django.test import Client

    reader = Client()
    reader.force_login(admin)
    assert reader.get("/admin/audit_log/").status_code == 200
    assert client_for(world.trainer.user).get("/admin/audit_log/").status_code in (302, 403)


def test_erasing_a_trainer_keeps_the_organisations_materials_and_drops_files_on_their_way(
    world, committed, tmp_path, settings
):
    """A trainer's video in materials is the organisation's: it plays on after the trainer is
    erased. Files the person was still sending are gone, bytes and all."""
    import os

    from django.core.files.base import ContentFile

    from polku.uploads.models import ResumableUpload
    from programmes.models import MaterialMedia
    from tests.conftest import stored_video_build

    trainer = world.trainer.user
    playable = stored_video_build(trainer)
    MaterialMedia.objects.create(
        title="Aamu",
        type="video",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", "aamu.mp4"),
        playable=playable,
    )
    on_its_way = ResumableUpload.objects.create(owner=trainer, length=100)
    os.makedirs(os.path.dirname(on_its_way.path), exist_ok=True)
    open(on_its_way.path, "wb").close()
    with committed():
        services.person_erase(user=trainer, by=trainer)
    assert MaterialMedia.objects.get().playable == playable
    assert not ResumableUpload.objects.exists() and not os.path.exists(on_its_way.path)
