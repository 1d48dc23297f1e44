"""A small group's feed: posting, sanitising, hiding, deleting, coaching, notes, updates."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import AssignmentSchedule
from tests.conftest import client_for, post_build
from workspaces.models import Comment, GroupNote, Post


def _feed(world, membership=None):
    return reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id])


def _act(world, user, post, route, **data):
    """Posts to one of a post's routes (post_delete, post_hide, comment_add, ...)."""
    return client_for(user).post(
        reverse(route, args=[world.cohort.slug, post.small_group_id, post.id]),
        data,
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def test_a_member_posts_and_the_group_sees_it(world, committed):
    with committed():
        client_for(world.participant.user).post(_feed(world), {"body": "Aamukahvi **toimi**!"})
    html = client_for(world.group_mate.user).get(_feed(world)).content.decode()
    assert "Aamukahvi <strong>toimi</strong>!" in html
    assert client_for(world.classmate.user).get(_feed(world)).status_code == 404


def test_hostile_input_is_made_harmless(world):
    body = (
        '<script>alert("x")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> [ok](https://example.com)"
    )
    post = post_build(world, body=body)
    # Raw HTML stays text: no element or attribute of it survives.
    assert "<script" not in post.body_html and "<img" not in post.body_html
    assert 'href="javascript:' not in post.body_html  # left as text, never a link
    assert 'href="https://example.com"' in post.body_html
    assert 'rel="noopener noreferrer nofollow"' in post.body_html
    html = client_for(world.group_mate.user).get(_feed(world)).content.decode()
    assert '<script>alert("x")</script>' not in html


def test_a_huge_post_is_refused_with_a_message_and_the_text_is_given_back(world):
    body = "pitkä " * 3000
    response = client_for(world.participant.user).post(
        _feed(world), {"body": body}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 10000 fit" in html.replace(",", "").replace("\u00a0", "")
    assert "pitkä pitkä" in html  # the text is back in the box, not lost
    assert not Post.objects.exists()


def test_authors_delete_their_own_posts_only(world):
    post = post_build(world)
    assert _act(world, world.group_mate.user, post, "post_delete").status_code == 404
    assert Post.objects.filter(id=post.id).exists()
    _act(world, world.participant.user, post, "post_delete")
    assert not Post.objects.filter(id=post.id).exists()


def test_a_trainer_hides_a_post_which_is_kept_and_shown_as_hidden(world):
    post = post_build(world, body="Sopimaton viesti")
    assert (
        _act(world, world.participant.user, post, "post_hide", on="true").status_code == 404
    )  # not a trainer
    _act(world, world.trainer.user, post, "post_hide", on="true")
    post.refresh_from_db()
    assert post.hidden_at and post.hidden_by == world.trainer.user
    member_view = (
        client_for(world.group_mate.user)
        .get(_feed(world), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Sopimaton viesti" not in member_view and "hidden by a trainer" in member_view
    trainer_view = client_for(world.trainer.user).get(_feed(world)).content.decode()
    assert "Sopimaton viesti" in trainer_view  # kept, for audit
    # Its photo is hidden too.
    file_url = reverse(
        "post_file", args=[world.cohort.slug, post.small_group_id, post.id, post.files.get().id]
    )
    assert client_for(world.group_mate.user).get(file_url).status_code == 404


def test_this_helped_me_is_one_mark_per_person_and_can_be_taken_back(world):
    post = post_build(world)
    _act(world, world.group_mate.user, post, "post_helped")
    _act(world, world.trainer.user, post, "post_helped")
    assert post.helped_marks.count() == 2
    _act(world, world.group_mate.user, post, "post_helped")
    assert post.helped_marks.count() == 1


def test_peer_coaching_closes_with_what_the_owner_will_do(world):
    post = post_build(world, body="Vaikea keskustelu ensi viikolla.")
    post.kind = Post.Kind.COACHING
    post.save()
    _act(world, world.group_mate.user, post, "comment_add", body="Mitä haluat keskustelusta?")
    assert (
        _act(world, world.group_mate.user, post, "coaching_close", outcome="x").status_code == 404
    )
    _act(world, world.participant.user, post, "coaching_close", outcome="Aloitan kysymällä.")
    post.refresh_from_db()
    assert post.closed_at and post.outcome == "Aloitan kysymällä."
    page = _act(world, world.group_mate.user, post, "comment_add", body="Vielä yksi?")
    assert "closed" in page.content.decode()
    assert Comment.objects.count() == 1


def test_new_posts_and_comments_arrive_without_a_reload(world):
    first = post_build(world, body="Ensimmäinen")
    client = client_for(world.group_mate.user)
    url = reverse("workspace_updates", args=[world.cohort.slug, first.small_group_id])
    nothing = client.get(url, {"after": first.id, "comments_after": 0}).json()
    assert nothing["posts"] == [] and nothing["comments"] == []
    second = post_build(world, body="Toinen")
    _act(world, world.trainer.user, first, "comment_add", body="Hyvä alku")
    update = client.get(url, {"after": first.id, "comments_after": 0}).json()
    assert len(update["posts"]) == 1 and "Toinen" in update["posts"][0]
    assert [c["post"] for c in update["comments"]] == [first.id]
    assert update["after"] == second.id


def test_the_feed_costs_the_same_queries_with_50_and_5000_posts(world):
    group = world.participant.small_group
    client = client_for(world.participant.user)

    def grow(n):
        Post.objects.bulk_create(
            [
                Post(
                    small_group=group,
                    author=world.group_mate.user,
                    body=f"post {i}",
                    body_html=f"<p>post {i}</p>",
                )
                for i in range(n)
            ]
        )

    def count():
        client.get(_feed(world))  # the first visit is stored ...
        client.get(_feed(world))  # ... and read back once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_feed(world)).status_code == 200
        return len(queries)

    grow(50)
    small = count()
    grow(4950)
    assert count() == small <= 12  # the budget for participant pages


def test_notes_keep_every_version_and_a_stale_save_is_told(world):
    url = reverse("workspace_notes", args=[world.cohort.slug, world.participant.small_group_id])
    me, mate = client_for(world.participant.user), client_for(world.group_mate.user)
    me.post(url, {"version": 0, "body": "1. Palaute on lahja."})
    page = mate.post(url, {"version": 0, "body": "1. Kuuntele."}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Someone saved the notes" in page.content.decode()
    assert "1. Kuuntele." in page.content.decode()  # their text is not lost
    mate.post(url, {"version": 1, "body": "1. Palaute on lahja.\n2. Kuuntele."})
    note = GroupNote.objects.get()
    assert note.version == 2
    assert [r.saved_by_id for r in note.revisions.order_by("version")] == [
        world.participant.user_id,
        world.group_mate.user_id,
    ]
    history = me.get(
        reverse(
            "workspace_notes_history", args=[world.cohort.slug, world.participant.small_group_id]
        )
    )
    assert "Palaute on lahja." in history.content.decode()


def test_organisers_see_activity_counts_not_conversations(world):
    post_build(world, body="Luottamuksellinen keskustelu")
    html = (
        client_for(world.organiser.user)
        .get(reverse("cohort_overview", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Workspace: 1 post, 0 comments; 1 post in the last 7 days" in html
    assert "Luottamuksellinen" not in html


def test_a_large_cohort_overview_comes_a_page_at_a_time_with_whole_group_sizes(world):
    from polku.people.models import Membership, Role, SmallGroup, User
    from workspaces.selectors import OVERVIEW_PAGE

    group = SmallGroup.objects.create(cohort=world.cohort, name="AAA")  # sorts first
    users = User.objects.bulk_create(
        [User(email=f"many{i}@example.com", first_name=f"Many{i:03d}") for i in range(80)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, cohort=world.cohort, role=Role.PARTICIPANT, small_group=group)
            for u in users
        ]
    )
    organiser = client_for(world.organiser.user)
    url = reverse("cohort_overview", args=[world.cohort.slug])
    first = organiser.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    second = organiser.get(url, {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    on_first = set(re.findall(r"Many\d{3}", first))
    on_second = set(re.findall(r"Many\d{3}", second))
    assert len(on_first) == OVERVIEW_PAGE
    assert on_first | on_second == {f"Many{i:03d}" for i in range(80)}
    assert not on_first & on_second
    assert 'AAA <span class="meta">(80)</span>' in first  # the group's size, not the page's
    assert 'AAA <span class="meta">(80)</span>' in second
    assert world.participant.user.email in second  # the other groups follow
    assert "Page 1 of 2" in first


def test_a_small_group_assignment_shows_in_the_groups_workspace(world):
    from programmes.models import AnswerScope

    assignment = world.assignment
    assignment.answer_scope = AnswerScope.SMALL_GROUP
    assignment.save_revision().publish()
    html = client_for(world.group_mate.user).get(_feed(world)).content.decode()
    assert reverse("cohort_assignment", args=[world.cohort.slug, assignment.id]) in html
    due = AssignmentSchedule.objects.get(cohort=world.cohort, page=assignment).due_at
    assert timezone.localtime(due).strftime("%-d.%-m.%Y") in html


def test_a_group_task_not_open_yet_shows_when_it_opens(world):
    from programmes.models import AnswerScope

    assignment = world.assignment
    assignment.answer_scope = AnswerScope.SMALL_GROUP
    assignment.save_revision().publish()
    schedule = AssignmentSchedule.objects.get(cohort=world.cohort, page=assignment)
    schedule.opens_at = timezone.now() + timedelta(days=10)
    schedule.due_at = schedule.opens_at + timedelta(days=20)
    schedule.save()
    html = client_for(world.group_mate.user).get(_feed(world), HTTP_ACCEPT_LANGUAGE="en")
    opens = timezone.localtime(schedule.opens_at).strftime("%-d.%-m.%Y")
    assert f"opens {opens}" in html.content.decode()


def test_authors_edit_their_own_posts_only(world):
    post = post_build(world, body="Alkuperäinen")
    assert _act(world, world.group_mate.user, post, "post_edit", body="Muutettu").status_code == 404
    page = _act(world, world.participant.user, post, "post_edit", body="Korjattu **teksti**")
    post.refresh_from_db()
    assert post.body == "Korjattu **teksti**" and post.edited_at
    assert "Korjattu <strong>teksti</strong>" in page.content.decode()


def test_a_double_tapped_post_is_created_once_with_all_its_photos(world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def stored_png(color):  # same name, same size, different photos
        out = io.BytesIO()
        Image.new("RGB", (40, 30), color).save(out, format="PNG", compress_level=0)
        return out.getvalue()

    client = client_for(world.participant.user)
    for _tap in range(2):
        client.post(
            _feed(world),
            {
                "body": "Kaksi kuvaa",
                "client_key": "tap-1",
                "files": [
                    SimpleUploadedFile("image.jpg", stored_png((0, 0, 255))),
                    SimpleUploadedFile("image.jpg", stored_png((0, 0, 254))),
                ],
            },
        )
    post = Post.objects.get()
    assert post.files.count() == 2


def test_a_trainer_pins_and_unpins_a_post_and_hides_and_shows_a_comment(world):
    post = post_build(world, body="Hyvä materiaali", comment="Sopimaton kommentti")
    comment = post.comments.get()
    _act(world, world.trainer.user, post, "post_pin", on="true")
    post.refresh_from_db()
    assert post.pinned_at
    _act(world, world.trainer.user, post, "post_pin", on="false")
    post.refresh_from_db()
    assert post.pinned_at is None

    hide = reverse(
        "comment_hide", args=[world.cohort.slug, post.small_group_id, post.id, comment.id]
    )
    assert client_for(world.participant.user).post(hide, {"on": "true"}).status_code == 404
    client_for(world.trainer.user).post(hide, {"on": "true"})
    member_view = client_for(world.participant.user).get(_feed(world)).content.decode()
    assert "Sopimaton kommentti" not in member_view
    client_for(world.trainer.user).post(hide, {"on": "false"})
    member_view = client_for(world.participant.user).get(_feed(world)).content.decode()
    assert "Sopimaton kommentti" in member_view


def test_only_a_coaching_thread_is_closed_with_an_outcome(world):
    post = post_build(world)
    page = _act(world, world.participant.user, post, "coaching_close", outcome="Kokeilen.")
    assert page.status_code == 404
    post.refresh_from_db()
    assert post.closed_at is None


def test_posts_and_comments_by_others_are_marked_new_until_the_next_visit(world):
    from workspaces.models import WorkspaceVisit

    mate = client_for(world.group_mate.user)
    mate.get(_feed(world))  # their first visit, five minutes ago
    WorkspaceVisit.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    post_build(world, body="Uusi kokeilu", comment="")  # the participant posts meanwhile

    def new_badges():
        html = mate.get(_feed(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        return html.count('badge badge-new">New<')

    assert new_badges() == 1
    assert new_badges() == 0  # seen now


def test_the_cached_feed_shows_every_change_at_once(world):
    """The feed's posts, pinned list and @mention names are kept in the cache
    (workspaces.versions): each change below is on the very next view, however it was made."""
    from workspaces.models import HelpedMark

    post = post_build(world, body="Aamukahvi toimi", comment="Hienoa")
    mate = client_for(world.group_mate.user)

    def feed(client=mate):
        return client.get(_feed(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Aamukahvi toimi" in feed() and "Hienoa" in feed()  # cached now
    _act(world, world.trainer.user, post, "comment_add", body="Mitä seuraavaksi?")
    assert "Mitä seuraavaksi?" in feed()
    _act(world, world.participant.user, post, "post_edit", body="Aamukahvi toimi hyvin")
    assert "Aamukahvi toimi hyvin" in feed()
    _act(world, world.group_mate.user, post, "post_helped")
    assert 'aria-pressed="true">This helped me · 1<' in feed()
    assert 'aria-pressed="false">This helped me · 1<' in feed(client_for(world.trainer.user))
    HelpedMark.objects.create(post=post, user=world.trainer.user)  # not through a view
    assert "This helped me · 2<" in feed()
    _act(world, world.trainer.user, post, "post_pin", on="true")
    assert "Pinned by the trainer" in feed()
    world.participant.user.first_name = "Uudelleennimetty"
    world.participant.user.save()
    assert "Uudelleennimetty" in feed()
    _act(world, world.trainer.user, post, "post_hide", on="true")
    assert "This post was hidden by a trainer." in feed()
    assert "Pinned by the trainer" not in feed()
    world.classmate.small_group = world.participant.small_group  # moved from another group
    world.classmate.save()
    assert world.classmate.user.first_name in feed().split('id="mention-people"')[1]

    _act(world, world.participant.user, post, "post_delete")
    assert "Aamukahvi" not in feed() and "Hienoa" not in feed()
    Post.objects.create(
        small_group=world.participant.small_group,
        author=world.group_mate.user,
        body="Suoraan tietokantaan",
        body_html="<p>Suoraan tietokantaan</p>",
    )
    assert "Suoraan tietokantaan" in feed()


def test_the_kept_overview_shows_every_change_at_once(world):
    """The overview's people, activity, staff and dates are kept in the cache: a post, a
    person joining, a new name, a new trainer and a moved date show on the next view."""
    from polku.people.models import Membership, Role
    from polku.people.services import memberships_join
    from programmes.models import TrainingDaySchedule
    from tests.factories import MembershipFactory

    organiser = client_for(world.organiser.user)

    def overview():
        url = reverse("cohort_overview", args=[world.cohort.slug])
        return organiser.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    Membership.objects.filter(id=world.group_mate.id).update(joined_at=None)
    assert "Invited, not joined yet" in overview() and "1 post" not in overview()
    post_build(world)
    assert "Workspace: 1 post, 0 comments; 1 post in the last 7 days" in overview()
    memberships_join(user=world.group_mate.user)
    assert "Invited, not joined yet" not in overview()
    world.group_mate.user.last_name = "Uusinimi"
    world.group_mate.user.save()
    assert "Uusinimi" in overview()
    trainer = MembershipFactory(cohort=world.cohort, role=Role.TRAINER)
    assert trainer.user.get_full_name() in overview()
    schedule = TrainingDaySchedule.objects.get(cohort=world.cohort, page=world.day)
    schedule.place = "Uusi paikka"
    schedule.save()
    assert "Uusi paikka" in overview()


def test_older_posts_and_a_malformed_page_link_each_show_their_own_page(world):
    """The kept posts are per page: an older page is not the newest one, and a link with
    junk in it shows the newest page (never a 500)."""
    from workspaces.selectors import PAGE_SIZE

    posts = [post_build(world, body=f"Kokeilu numero {n}") for n in range(PAGE_SIZE + 2)]
    mate = client_for(world.group_mate.user)
    newest = mate.get(_feed(world)).content.decode()
    older = mate.get(_feed(world), {"before": posts[2].id}).content.decode()
    junk = mate.get(_feed(world), {"before": "abc' OR 1=1"})
    assert f"Kokeilu numero {PAGE_SIZE + 1}<" in newest and "Kokeilu numero 0<" not in newest
    assert "Kokeilu numero 0<" in older and f"Kokeilu numero {PAGE_SIZE + 1}<" not in older
    assert junk.status_code == 200
    assert f"Kokeilu numero {PAGE_SIZE + 1}<" in junk.content.decode()
