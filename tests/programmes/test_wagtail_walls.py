"""The Wagtail admin's walls: a trainer edits their own organisation's programmes, images and
documents, and nothing of another organisation's can be read or changed there (finding 1 of
issue 11: all trainers shared one group with rights from the root page)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from polku.people.services import membership_add
from programmes.models import AssignmentPage, ProgrammePage, TrainingDayPage
from tests.conftest import client_for, png_bytes
from tests.factories import PASSWORD

# Wagtail answers a page it will not let a person act on with a redirect to the dashboard
# ("Sorry, you do not have permission"), or 403/404.
DENIED = {302, 403, 404}


def _trainer(world):
    """The world's trainer, joined the way trainers join: through membership_add."""
    membership, _new = membership_add(
        cohort=world.cohort, email=world.trainer.user.email, role="trainer"
    )
    user = membership.user
    user.set_password(PASSWORD)
    user.save()
    return user


def _pages(world):
    programme = world.cohort.programme
    return {
        "programme": programme,
        "training day": TrainingDayPage.objects.child_of(programme).first(),
        "assignment": AssignmentPage.objects.child_of(programme).first(),
    }


def _denied(client, response, hops=3):
    """Refused: 403/404, or a redirect to the dashboard or the login, or to another admin
    page that refuses in turn."""
    assert response.status_code in DENIED, response.status_code
    if response.status_code == 302:
        location = response["Location"]
        if location in ("/admin/", "/admin/login/") or location.startswith(
            reverse("account_login")
        ):
            return
        assert hops and location.startswith("/admin/"), location
        _denied(client, client.get(location), hops - 1)


@pytest.fixture
def foreigner(world, other_world):
    """A trainer of another organisation, with Wagtail access to their own programme."""
    return client_for(_trainer(other_world))


def test_a_trainer_edits_their_own_organisations_programme(world):
    client = client_for(_trainer(world))
    for page in _pages(world).values():
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.id])).status_code == 200
    day = _pages(world)["training day"]
    assert (
        client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[day.id])).status_code == 200
    )


@pytest.mark.parametrize("kind", ["programme", "training day", "assignment"])
def test_another_organisations_trainer_reads_nothing(kind, world, other_world, foreigner):
    page = _pages(world)[kind]
    page.title = f"Vain meidän {kind}"  # the demo's titles are the same in both programmes
    page.save()
    revision = page.save_revision()
    for name, args in [
        ("wagtailadmin_pages:edit", [page.id]),
        ("wagtailadmin_pages:view_draft", [page.id]),
        ("wagtailadmin_pages:preview_on_edit", [page.id]),
        ("wagtailadmin_pages:history", [page.id]),
        ("wagtailadmin_pages:revisions_view", [page.id, revision.id]),
        ("wagtailadmin_pages:delete", [page.id]),
        ("wagtailadmin_pages:unpublish", [page.id]),
        ("wagtailadmin_pages:move", [page.id]),
        ("wagtailadmin_pages:copy", [page.id]),
        ("wagtailadmin_explore", [page.id]),
    ]:
        if name == "wagtailadmin_explore":
            # Wagtail sends the person to what they may explore: nothing of this programme.
            response = foreigner.get(reverse(name, args=args), follow=True)
            assert page.title not in response.content.decode(), name
            continue
        _denied(foreigner, foreigner.get(reverse(name, args=args)))


@pytest.mark.parametrize("kind", ["programme", "training day", "assignment"])
def test_another_organisations_trainer_changes_nothing(kind, world, other_world, foreigner):
    page = _pages(world)[kind]
    their_programme = other_world.cohort.programme
    before = (page.title, page.live, page.get_parent().id)
    posts = [
        ("wagtailadmin_pages:edit", [page.id], {"title": "Hacked", "slug": page.slug}),
        ("wagtailadmin_pages:unpublish", [page.id], {}),
        ("wagtailadmin_pages:delete", [page.id], {}),
        ("wagtailadmin_pages:move_confirm", [page.id, their_programme.id], {}),
        (
            "wagtailadmin_pages:copy",
            [page.id],
            {"new_title": "Copy", "new_slug": "copy", "new_parent_page": their_programme.id},
        ),
        ("wagtailadmin_pages:lock", [page.id], {}),
    ]
    if kind == "programme":
        posts.append(
            (
                "wagtailadmin_pages:add",
                ["programmes", "trainingdaypage", page.id],
                {"title": "Planted", "slug": "planted"},
            )
        )
    pages_before = Page.objects.count()
    for name, args, data in posts:
        _denied(foreigner, foreigner.post(reverse(name, args=args), data))
    page.refresh_from_db()
    assert (page.title, page.live, page.get_parent().id) == before
    assert not page.locked
    assert Page.objects.count() == pages_before


def test_the_shared_paths_folder_is_out_of_every_trainers_reach(world, other_world, foreigner):
    folder = world.cohort.programme.get_parent()
    for name in ["edit", "unpublish", "delete", "move"]:
        url = reverse(f"wagtailadmin_pages:{name}", args=[folder.id])
        _denied(foreigner, foreigner.post(url, {}))
    folder.refresh_from_db()
    assert folder.live
    # and no new programme can be planted in it
    add = reverse("wagtailadmin_pages:add", args=["programmes", "programmepage", folder.id])
    _denied(foreigner, foreigner.get(add))


def test_reports_and_search_show_only_ones_own_organisation(world, other_world, foreigner):
    ours = _pages(world)["training day"]
    ours.title = "Vain meidän päivämme"
    ours.save_revision(log_action=True).publish()
    theirs = _pages(other_world)["training day"]
    theirs.save_revision(log_action=True).publish()
    for url in [
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_pages:search") + "?q=päivämme",
        reverse("wagtailadmin_home"),
    ]:
        response = foreigner.get(url)
        if response.status_code != 200:
            _denied(foreigner, response)
            continue
        assert "Vain meidän päivämme" not in response.content.decode(), url


def test_images_and_documents_stay_in_their_organisation(world, other_world, foreigner):
    from polku.people.services import organisation_editors_get

    organisation_editors_get(world.cohort.organisation)
    collection = world.cohort.organisation.__class__.objects.get(
        id=world.cohort.organisation_id
    ).collection
    document = Document.objects.create(
        title="Meidän kalvot", file=ContentFile(b"%PDF-1.4", "ours.pdf"), collection=collection
    )
    image = Image.objects.create(
        title="Meidän kuva", file=ContentFile(png_bytes(), "ours.png"), collection=collection
    )
    for url in [
        reverse("wagtaildocs:edit", args=[document.id]),
        reverse("wagtaildocs:delete", args=[document.id]),
        reverse("wagtailimages:edit", args=[image.id]),
        reverse("wagtailimages:delete", args=[image.id]),
    ]:
        _denied(foreigner, foreigner.get(url))
        _denied(foreigner, foreigner.post(url, {"title": "Hacked"}))
    for url in [reverse("wagtaildocs:index"), reverse("wagtailimages:index")]:
        response = foreigner.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Meidän kalvot" not in body and "Meidän kuva" not in body
    document.refresh_from_db()
    image.refresh_from_db()
    assert (document.title, image.title) == ("Meidän kalvot", "Meidän kuva")
    # Served: to the organisation's members, not to another organisation's
    assert client_for(world.participant.user).get(document.url).status_code == 200
    assert client_for(other_world.participant.user).get(document.url).status_code == 403
    assert foreigner.get(document.url).status_code == 403
    # and the owner's trainer works with them
    ours = client_for(_trainer(world))
    assert ours.get(reverse("wagtaildocs:edit", args=[document.id])).status_code == 200
    assert ours.get(reverse("wagtailimages:edit", args=[image.id])).status_code == 200


def test_a_cohort_runs_only_its_own_organisations_programme(world, other_world):
    from django.core.exceptions import ValidationError

    cohort = world.cohort
    cohort.programme = other_world.cohort.programme
    with pytest.raises(ValidationError):
        cohort.full_clean()


def test_choosing_a_programmes_organisation_moves_its_editors(world, other_world):
    programme = ProgrammePage.objects.get(id=world.cohort.programme_id)
    ours, theirs = _trainer(world), _trainer(other_world)
    from programmes.services import programme_editors_sync

    programme.organisation = other_world.cohort.organisation
    programme.save()
    programme_editors_sync(programme=programme)
    edit = reverse("wagtailadmin_pages:edit", args=[programme.id])
    assert client_for(theirs).get(edit).status_code == 200
    ours = client_for(ours)
    _denied(ours, ours.get(edit))


def test_a_trainer_edits_a_page_from_the_cohort_and_publishing_returns_there(world):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client = client_for(_trainer(world))
    day_url = reverse("cohort_training_day", args=[world.cohort.slug, world.day.id])
    page = client.get(day_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    edit = reverse("wagtailadmin_pages:edit", args=[world.day.id])
    link = f'href="{edit}?next={day_url}"'
    assert link in page and "Edit this page" in page
    day = TrainingDayPage.objects.get(id=world.day.id)
    published = client.post(
        f"{edit}?next={day_url}",
        nested_form_data(
            {
                "title": "Päivä 1: uusi otsikko",
                "slug": day.slug,
                "intro": day.intro,
                "growth_chain_step": day.growth_chain_step,
                "agenda": streamfield([]),
                "materials": streamfield([]),
                "live_questions": streamfield([]),
                "action-publish": "action-publish",
            }
        ),
    )
    assert published.status_code == 302 and published["Location"] == day_url
    assert "Päivä 1: uusi otsikko" in client.get(day_url).content.decode()
    # Participants see no such link.
    participant = client_for(world.participant.user).get(day_url).content.decode()
    assert edit not in participant
