"""The access matrix: for every URL route, what each kind of person gets.

A test walks Django's URL resolver and fails on any route this table does not list, so no
view can skip the question "may this person see this object?". Objects of another cohort
answer 404, exactly like objects that do not exist."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polku.people.services import invitation_create, invitation_token
from tests.conftest import (
    World,
    answer_build,
    client_for,
    live_question_build,
    post_build,
    stored_video_build,
)

# Who asks. "participant" owns the answer under test; "group_mate" shares their small group;
# "classmate" is in another small group of the same cohort; "outsider" is a participant of
# another organisation's cohort; "staff" is a Wagtail superuser without a membership: editors
# run the CMS, not the cohorts. "team_member" is a minimal account with no cohort: a member of
# the participant's team who coaches them in upward coaching (their own pair, not the one
# under test).
ROLES = [
    "anonymous",
    "participant",
    "group_mate",
    "classmate",
    "trainer",
    "organiser",
    "outsider",
    "staff",
    "team_member",
]
PARTICIPANTS = ("participant", "group_mate", "classmate")
LOGIN = "login"  # a redirect to the login page


@dataclass(frozen=True)
class Rule:
    method: str
    expect: dict[str, int | str]  # role -> status code, or LOGIN


def everyone(status, anonymous=LOGIN, method="GET"):
    return Rule(method, dict.fromkeys(ROLES, status) | {"anonymous": anonymous})


def only(method="GET", anonymous=LOGIN, **allowed):
    """Everyone gets 404 but anonymous (sent to log in) and the roles named."""
    return Rule(method, dict.fromkeys(ROLES, 404) | {"anonymous": anonymous} | allowed)


def participants(status):
    return dict.fromkeys(PARTICIPANTS, status)


MEMBERS_ONLY = only(**participants(200), trainer=200, organiser=200)
TRAINERS_AND_ORGANISERS = only(trainer=200, organiser=200)
# The answer under test is the participant's own, submitted, not shared in the group.
ANSWER_READERS = only(participant=200, trainer=200)
WORKSPACE_READERS = only(participant=200, group_mate=200, trainer=200)

# Every named route of ours. Keys are URL names.
MATRIX: dict[str, Rule] = {
    "home": Rule("GET", dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN, "staff": 200}),
    "ping": everyone(200),
    # The installable app's service worker and its page for no connection: nothing personal.
    "service_worker": everyone(200, anonymous=200),
    "offline": everyone(200, anonymous=200),
    "language_set": everyone(302, anonymous=302, method="POST"),
    # Anyone holding the link sees the invitation; the invitee (group_mate), already in, is
    # taken to their path. An account with a password joins by logging in, never by a new one.
    "invitation_accept": Rule("GET", dict.fromkeys(ROLES, 200) | {"group_mate": 302}),
    "cohort_path": MEMBERS_ONLY,
    "cohort_training_day": MEMBERS_ONLY,
    # The day's online meeting: the cohort is sent on to it, nobody else learns its address.
    "training_day_join": only(**participants(302), trainer=302, organiser=302),
    # Calendar invitations by email: the cohort's staff send them.
    "day_invitations": only(method="POST", trainer=302, organiser=302),
    # A person's calendar page; the feed's secret address works without logging in (calendar
    # apps read it), as the unsubscribe link does.
    "calendar_settings": everyone(200),
    "calendar_feed": everyone(200, anonymous=200),
    "cohort_assignment": MEMBERS_ONLY,
    "cohort_overview": TRAINERS_AND_ORGANISERS,
    "participants_import": only(organiser=200),
    "participants_import_confirm": only("POST", organiser=302),  # no valid preview: back
    "participants_import_template": only(organiser=200),
    "invitation_resend": only("POST", organiser=302),
    # Wagtail's page serving: a programme page forwards a member to their cohort's view.
    "wagtail_serve": only(anonymous=404, **participants(302), trainer=302, organiser=302),
    # Answers. Every participant saves their own answer (a redirect back to the form); an
    # upload without a file is refused with 400 (the route was reached).
    "answer_save": only("POST", **participants(302)),
    "answer_file_upload": only("POST", **participants(400)),
    "review_list": TRAINERS_AND_ORGANISERS,
    # Reminding participants of an assignment: the cohort's trainers only.
    "review_remind": only("POST", trainer=302),
    "answer_detail": ANSWER_READERS,
    "answer_file": ANSWER_READERS,
    "answer_comment": only("POST", participant=302, trainer=302),
    "answer_reviewed": only("POST", trainer=302),
    # Workspaces: the participant's own small group. Its members and the cohort's trainers
    # only; organisers see activity counts on the overview, never the conversation.
    "workspace": WORKSPACE_READERS,
    "workspace_updates": WORKSPACE_READERS,
    # A post of the participant's, with a group mate's comment: its author edits and deletes
    # it, trainers pin and hide, the group comments and marks what helped. A coaching thread
    # is closed by its author.
    "post_edit": only("POST", participant=302),
    "post_delete": only("POST", participant=302),
    "post_hide": only("POST", trainer=302),
    "post_pin": only("POST", trainer=302),
    "post_helped": only("POST", participant=302, group_mate=302, trainer=302),
    "comment_add": only("POST", participant=302, group_mate=302, trainer=302),
    "comment_hide": only("POST", trainer=302),
    "coaching_close": only("POST", participant=302),
    "post_file": WORKSPACE_READERS,
    "workspace_notes": WORKSPACE_READERS,
    "workspace_notes_history": WORKSPACE_READERS,
    # The cohort's library: what its small groups shared. A group shares from its workspace
    # (the trainer too) and withdraws its own; staff export the library.
    "output_share": WORKSPACE_READERS,
    "output_withdraw": only("POST", participant=302, group_mate=302, trainer=302),
    "library": MEMBERS_ONLY,
    "library_export": TRAINERS_AND_ORGANISERS,
    # A participant shares their own commitment with their group; anyone else's is 404.
    "commitment_share": only("POST", participant=302),
    # Resumable uploads: those who hand files over (participants and trainers, of any
    # organisation: the outsider too) begin one of their own (a request without the
    # protocol's header is refused with 412: the route was reached); an upload is its
    # sender's alone. Captions are added by the video's sender.
    "resumable_create": only("POST", **participants(412), trainer=412, outsider=412),
    "resumable_upload": only("HEAD", participant=200),
    "stored_file_captions": only("POST", participant=302),
    # A trainer's video or sound in materials: the people of its organisation (all roles of
    # the cohort) and admins; the team member (no cohort) and other organisations get 404.
    "material_media": only(**participants(200), trainer=200, organiser=200, staff=200),
    "material_file": only(**participants(200), trainer=200, organiser=200, staff=200),
    "notification_preferences": everyone(200),
    # Personal data: everyone's own page; an export downloads for its owner only (the
    # participant's, built in _url), and answers 404 to everyone else.
    "privacy_home": everyone(200),
    "data_export_download": only(participant=200),
    "unsubscribe": everyone(200, anonymous=200),  # the signed link works without logging in
    # Live feedback on the world's first training day.
    "live_day": only(**participants(200), trainer=200),
    "live_join": only(**participants(302), trainer=302),
    "live_question_create": only("POST", trainer=302),
    "live_question_open": only("POST", trainer=302),
    "live_question_close": only("POST", trainer=302),
    "live_question_hide": only("POST", trainer=302),
    "live_word_exclude": only("POST", trainer=302),
    "live_curate": only("POST", trainer=302),
    "live_commitment_link": only("POST", trainer=302),
    "live_commitment_ask": only("POST", trainer=302),
    "live_commitments": only(trainer=200),
    "live_answer": only("POST", **participants(302)),
    "live_projector": only(trainer=200),
    # The day's summary: the cohort's page (published or not yet); trainers publish it; its
    # PDF for the cohort and the spreadsheet for staff once published (the world's day is).
    "live_summaries": MEMBERS_ONLY,
    "live_publish": only("POST", trainer=302),
    "live_summary_pdf": MEMBERS_ONLY,
    "live_summary_xlsx": TRAINERS_AND_ORGANISERS,
    "live_answers_csv": only(trainer=200),
    # The projector's poll is a signed link for one cohort's day: no session needed.
    "live_projector_poll": everyone(200, anonymous=200),
    # So is a participant's phone's poll of the room (a version, nothing else).
    "live_room_poll": everyone(200, anonymous=200),
    # Progress: figures for trainers and organisers; attendance is the trainers' to mark, and
    # participants check themselves in with the day's QR link.
    "progress_dashboard": TRAINERS_AND_ORGANISERS,
    "progress_group": TRAINERS_AND_ORGANISERS,
    "progress_person": TRAINERS_AND_ORGANISERS,
    "progress_people": TRAINERS_AND_ORGANISERS,
    "progress_nudge": only("POST", trainer=302, organiser=302),
    "progress_export": TRAINERS_AND_ORGANISERS,
    "attendance": only(trainer=200),
    "attendance_qr": only(trainer=200),
    "check_in": only(**participants(200)),
    # Team surveys. Each supervisor (participant) has their own team, answers about
    # themselves and writes their own weekly self-evaluation; a team member of the
    # participant's is removed by the participant only. Trainers coach from a supervisor's
    # results; trainers and organisers see the cohort's change.
    "team": only(**participants(200)),
    "team_members_add": only("POST", **participants(302)),
    "team_member_remove": only("POST", participant=302),
    "self_assessment": only(**participants(200)),
    "team_link": only(**participants(200)),
    "reflections": only(**participants(200)),
    "reflection_reminder": only("POST", **participants(302)),
    "impact_cohort": TRAINERS_AND_ORGANISERS,
    "impact_person": only(trainer=200),
    "impact_export": TRAINERS_AND_ORGANISERS,
    # Mentoring programmes: the organisation's organisers run them and see figures (the
    # owner, here the organiser, also the check-ins).
    "mentoring_programmes": only(organiser=200),
    "mentoring_programme_new": only(organiser=200),
    "mentoring_programme": only(organiser=200),
    "mentoring_profiles": only(organiser=200),
    "mentoring_pair_new": only(organiser=200),
    "mentoring_pair_act": only("POST", organiser=302),
    "mentoring_pair_message": only("POST", organiser=302),
    "mentoring_recognition": only(organiser=200),
    "mentoring_export": only(organiser=200),
    # The pair under test: the classmate mentors the participant. Its space is the two's
    # alone: the organiser who made it, the trainer, the participant's group mate and the
    # team member who coaches the participant in another pair all get 404. Goals are the
    # mentee's (the mentor is refused with a message, back on the page); only the mentee
    # ends the pairing.
    "mentoring_home": everyone(200),
    "mentoring_pair": only(participant=200, classmate=200),
    "mentoring_session_log": only("POST", participant=302, classmate=302),
    "mentoring_session_cancel": only("POST", participant=302, classmate=302),
    "mentoring_goal_add": only("POST", participant=302, classmate=302),
    "mentoring_goal_done": only("POST", participant=302, classmate=302),
    "mentoring_note_add": only("POST", participant=302, classmate=302),
    "mentoring_check_in": only(participant=200, classmate=200),
    "mentoring_pair_end": only("POST", participant=302),
    "mentoring_guide": only(participant=200, classmate=200),
    "mentoring_certificate": only(participant=200, classmate=200),
    # Upward coaching: each supervisor (participant) invites their own coaches.
    "mentoring_coaches": only(**participants(200)),
    # A team member's invitation link needs no account: the signed link is the key.
    "mentoring_join": everyone(200, anonymous=200),
    # A team member's links need no account: the signed link is the key.
    "team_survey": everyone(200, anonymous=200),
    "team_survey_link": everyone(200, anonymous=200),
}

POST_ROUTES = ("post_edit", "post_delete", "post_hide", "post_pin", "post_helped")
POST_ROUTES += ("comment_add", "coaching_close")

# Whole route families of libraries, each covered by one rule tested below.
PREFIX_RULES = {
    "accounts/": "django-allauth: login, logout, password reset and each organisation's single "
    "sign-on; public by design (tests/people/test_single_sign_on.py: no page lists another "
    "organisation's provider, none lets a sign-in connect to another account)",
    "admin/": "Wagtail admin: trainers and staff only (test_wagtail_admin_*); its walls per "
    "organisation: tests/programmes/test_wagtail_walls.py; personal data and the audit log "
    "for superusers only: tests/privacy",
    "api/v1/": "the read API: a bearer token per organisation, never a session "
    "(test_the_api_answers_no_session below; tokens' walls, scopes and the survey threshold: "
    "tests/api)",
    "scim/v2/": "SCIM provisioning: a bearer token of the organisation with the SCIM scope, "
    "never a session (test_scim_answers_no_session below; tokens' walls and every "
    "scim2-tester check: tests/api/test_scim.py)",
    "documents/": "Wagtail documents: people with a membership (test_documents_*)",
    "_util/": "Wagtail's page-privacy password forms; unused by Polku, public by design",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def test_every_route_is_in_the_matrix():
    unlisted = []
    for route, name in _walk(get_resolver().url_patterns):
        if any(route.startswith(prefix) for prefix in PREFIX_RULES):
            continue
        if name not in MATRIX:
            unlisted.append(f"{route} (name={name})")
    assert not unlisted, "Routes missing from the access matrix:\n" + "\n".join(unlisted)


API_PATHS = ["cohorts"] + [
    f"cohorts/{{slug}}/{kind}" for kind in ("people", "attendance", "progress", "surveys")
]


@pytest.mark.parametrize("path", API_PATHS)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_no_session(path, role, world, other_world, django_user_model):
    """Every role's login, staff's too, gets 401 from the API: only an organisation's token
    reads it, and a token's walls are tested in tests/api."""
    client = client_for(_person(role, world, other_world, django_user_model))
    response = client.get("/api/v1/" + path.format(slug=world.cohort.slug))
    assert response.status_code == 401


SCIM_PATHS = ["Users", "Groups", "ServiceProviderConfig", "Schemas", "ResourceTypes"]


@pytest.mark.parametrize("path", SCIM_PATHS)
@pytest.mark.parametrize("role", ROLES)
def test_scim_answers_no_session(path, role, world, other_world, django_user_model):
    """Every role's login, staff's too, gets 401 from SCIM: only an organisation's token
    provisions people."""
    client = client_for(_person(role, world, other_world, django_user_model))
    response = client.get("/scim/v2/" + path)
    assert response.status_code == 401
    assert response.json()["status"] == "401"


def _url(name: str, world: World) -> str:
    slug = world.cohort.slug
    if name in ("answer_detail", "answer_file", "answer_comment", "answer_reviewed"):
        answer = answer_build(world)
        if name == "answer_file":
            return reverse(name, args=[slug, answer.id, answer.files.get().id])
        return reverse(name, args=[slug, answer.id])
    group = world.participant.small_group_id
    if name in ("workspace", "workspace_notes", "workspace_notes_history", "output_share"):
        return reverse(name, args=[slug, group])
    if name == "output_withdraw":
        from workspaces.models import SharedOutput

        output = SharedOutput.objects.create(
            cohort=world.cohort,
            small_group_id=group,
            kind="note",
            title="Palautteen pelisäännöt",
            body_html="<p>Kysy ensin.</p>",
        )
        return reverse(name, args=[slug, group, output.id])
    if name == "library":
        return reverse(name, args=[slug])
    if name == "commitment_share":
        from programmes.live import services as live

        question = live_question_build(world, kind="commitment")
        answer = live.answer_submit(question=question, user=world.participant.user, raw="Kysyn")
        return reverse(name, args=[slug, answer.id])
    if name == "library_export":
        return reverse(name, args=[slug, "xlsx"])
    if name == "workspace_updates":
        return reverse(name, args=[slug, group]) + "?after=0&comments_after=0"
    if name in POST_ROUTES or name in ("post_file", "comment_hide"):
        post = post_build(world, kind="coaching", comment="Mitä kokeilisit?")
        if name == "post_file":
            return reverse(name, args=[slug, group, post.id, post.files.get().id])
        if name == "comment_hide":
            return reverse(name, args=[slug, group, post.id, post.comments.get().id])
        return reverse(name, args=[slug, group, post.id])
    if name in ("live_day", "live_question_create", "live_projector", "live_summaries"):
        return reverse(name, args=[slug, world.day.id])
    if name == "live_commitments":
        return reverse(name, args=[slug])
    if name == "live_commitment_ask":
        return reverse(
            name, args=[slug, world.day.id, live_question_build(world, kind="commitment").id]
        )
    if name in ("live_publish", "live_summary_pdf", "live_summary_xlsx"):
        _day_published(world)
        return reverse(name, args=[slug, world.day.id])
    if name.startswith("live_question_") or name in (
        "live_word_exclude",
        "live_curate",
        "live_commitment_link",
        "live_answer",
        "live_answers_csv",
    ):
        return reverse(name, args=[slug, live_question_build(world).id])
    if name == "live_join":
        from programmes.live.services import room_get_or_create

        return reverse(
            name, args=[room_get_or_create(cohort=world.cohort, training_day=world.day).code]
        )
    if name == "live_room_poll":
        from django.core import signing

        from programmes.live.views import ROOM_SALT

        return reverse(name, args=[signing.dumps([world.cohort.id, world.day.id], salt=ROOM_SALT)])
    if name == "live_projector_poll":
        from django.core import signing

        from programmes.live.views import PROJECTOR_SALT

        question = live_question_build(world)
        token = signing.dumps([world.cohort.id, world.day.id], salt=PROJECTOR_SALT)
        return reverse(name, args=[token, question.id])
    if name == "data_export_download":
        from privacy.services import export_build, export_request

        export = export_request(user=world.participant.user, requested_by=world.participant.user)
        export_build(export.id)
        return reverse(name, args=[export.id])
    if name == "unsubscribe":
        from polku.notifications.services import unsubscribe_token

        return reverse(name, args=[unsubscribe_token(world.group_mate.user)])
    if name in ("answer_save", "answer_file_upload", "review_list", "review_remind"):
        return reverse(name, args=[slug, world.assignment.id])
    if name == "cohort_training_day":
        return reverse(name, args=[slug, world.day.id])
    if name in ("training_day_join", "day_invitations"):
        from programmes.models import TrainingDaySchedule

        schedule = TrainingDaySchedule.objects.get(cohort=world.cohort, page=world.day)
        schedule.meeting_url = "https://meet.example.test/abc"
        schedule.save()
        return reverse(name, args=[slug, world.day.id])
    if name == "calendar_feed":
        from polku.people.services import calendar_key_renew

        return reverse(name, args=[calendar_key_renew(user=world.group_mate.user)])
    if name == "cohort_assignment":
        return reverse(name, args=[slug, world.assignment.id])
    if name in (
        "cohort_path",
        "cohort_overview",
        "participants_import",
        "participants_import_confirm",
        "participants_import_template",
    ):
        return reverse(name, args=[slug])
    if name == "invitation_resend":
        return reverse(name, args=[slug, world.group_mate.id])
    if name == "invitation_accept":
        invitation = invitation_create(membership=world.group_mate)
        return reverse(name, args=[invitation_token(invitation)])
    if name in ("progress_dashboard", "progress_people", "progress_nudge"):
        return reverse(name, args=[slug])
    if name == "progress_group":
        return reverse(name, args=[slug, group])
    if name == "progress_person":
        return reverse(name, args=[slug, world.participant.id])
    if name == "progress_export":
        return reverse(name, args=[slug, "people", "xlsx"])
    if name in ("attendance", "attendance_qr"):
        return reverse(name, args=[slug, world.day.id])
    if name == "check_in":
        from progress.services import check_in_token

        return reverse(name, args=[slug, world.day.id, check_in_token(world.cohort, world.day)])
    if name in ("team", "reflections", "reflection_reminder", "team_members_add"):
        return reverse(name, args=[slug])
    if name in ("impact_cohort", "mentoring_programmes", "mentoring_programme_new"):
        return reverse(name, args=[slug])
    if name == "impact_export":
        return reverse(name, args=[slug, "xlsx"])
    if name == "impact_person":
        return reverse(name, args=[slug, world.participant.id])
    if name == "team_member_remove":
        member = world.participant.team_members.create(email="tiimi@example.com")
        return reverse(name, args=[slug, member.id])
    if name in ("self_assessment", "team_link", "team_survey", "team_survey_link"):
        from impact import services as impact

        wave = _open_wave(world)
        if name == "team_survey":
            member = world.participant.team_members.create(email="tiimi2@example.com")
            invitation = wave.invitations.create(member=member)
            return reverse(name, args=[impact.invitation_token(invitation)])
        if name == "team_survey_link":
            token = impact.team_link_token(wave=wave, supervisor=world.participant)
            return reverse(name, args=[token])
        return reverse(name, args=[slug, wave.id])
    if name.startswith("mentoring_") and name not in (
        "mentoring_programmes",
        "mentoring_programme_new",
        "mentoring_home",
    ):
        return _mentoring_url(name, world)
    if name in ("resumable_upload", "stored_file_captions"):
        from polku.uploads.models import ResumableUpload

        if name == "resumable_upload":
            upload = ResumableUpload.objects.create(owner=world.participant.user, length=10)
            return reverse(name, args=[upload.id])
        return reverse(name, args=[stored_video_build(world.participant.user).id])
    if name in ("material_media", "material_file"):
        return _material_url(name, world)
    if name == "wagtail_serve":
        return world.cohort.programme.url
    return reverse(name)


def _material_url(name: str, world: World) -> str:
    """A trainer's video in the organisation's collection, still being processed."""
    from django.core.files.base import ContentFile

    from polku.people.services import organisation_editors_get
    from programmes.models import MaterialMedia

    organisation_editors_get(world.cohort.organisation)
    world.cohort.organisation.refresh_from_db()
    playable = stored_video_build(world.trainer.user, state="processing", client_key="material")
    media = MaterialMedia.objects.create(
        title="Aamu",
        type="video",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", "aamu.mp4"),
        collection=world.cohort.organisation.collection,
        playable=playable,
    )
    if name == "material_media":
        return reverse(name, args=[media.id])
    return media.url


def _programme(world: World, kind: str):
    from datetime import timedelta

    from django.utils import timezone

    from mentoring.models import MentoringProgramme

    today = timezone.localdate()
    programme, _created = MentoringProgramme.objects.get_or_create(
        organisation=world.cohort.organisation,
        cohort=world.cohort,
        kind=kind,
        defaults={
            "name": f"Ohjelma {kind}",
            "focus_area": "social_media",
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=150),
            "owner": world.organiser.user,
        },
    )
    return programme


def _team_member(world: World):
    """A team member of the participant's with a minimal account, coaching them."""
    from mentoring.models import Pair
    from polku.people.models import User

    user = User.objects.create_user("valmentaja@example.com", "a-long-test-password")
    Pair.objects.create(
        programme=_programme(world, "upward"), mentor=user, mentee=world.participant.user
    )
    return user


def _mentoring_url(name: str, world: World) -> str:
    from django.utils import timezone

    from mentoring import services
    from mentoring.models import CoachInvitation, MentoringGuidePage, Pair

    slug = world.cohort.slug
    programme = _programme(world, "reverse")
    if name == "mentoring_coaches":
        return reverse(name, args=[_programme(world, "upward").id])
    if name == "mentoring_join":
        invitation = CoachInvitation.objects.create(
            programme=_programme(world, "upward"),
            supervisor=world.participant.user,
            name="Tiina",
            email="tiina@example.com",
            due_at=timezone.now(),
            sent_at=timezone.now(),
        )
        return reverse(name, args=[services.coach_invitation_token(invitation)])
    if name in (
        "mentoring_programme",
        "mentoring_profiles",
        "mentoring_pair_new",
        "mentoring_recognition",
    ):
        return reverse(name, args=[slug, programme.id])
    if name == "mentoring_export":
        return reverse(name, args=[slug, programme.id, "xlsx"])
    pair, _created = Pair.objects.get_or_create(
        programme=programme, mentor=world.classmate.user, mentee=world.participant.user
    )
    if name in ("mentoring_pair_act", "mentoring_pair_message"):
        return reverse(name, args=[slug, programme.id, pair.id])
    if name == "mentoring_session_cancel":
        session = services.session_log(
            pair=pair, by=world.participant.user, held_on=timezone.localdate(), minutes=30
        )
        return reverse(name, args=[pair.id, session.id])
    if name == "mentoring_goal_done":
        return reverse(name, args=[pair.id, pair.goals.create(text="Kuuntelen").id])
    if name == "mentoring_guide":
        guide = MentoringGuidePage(title="Mentorin opas", audience="everyone", body=[])
        world.cohort.programme.add_child(instance=guide)
        return reverse(name, args=[pair.id, guide.id])
    return reverse(name, args=[pair.id])


def _day_published(world: World):
    from programmes.live import services

    question = live_question_build(world, kind="scale", options={"min": 1, "max": 5})
    for membership in (world.participant, world.group_mate, world.classmate):
        services.answer_submit(question=question, user=membership.user, raw="4")
    services.question_close(question=question)
    services.summary_store(question_id=question.id)
    services.day_publish(cohort=world.cohort, training_day=world.day, by=world.trainer.user)


def _open_wave(world: World):
    from datetime import timedelta

    from django.utils import timezone

    from impact.instrument import coaching_survey_add
    from impact.models import SurveyWave

    now = timezone.now()
    return SurveyWave.objects.create(
        cohort=world.cohort,
        page=coaching_survey_add(world.cohort.programme),
        kind="end",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )


def _person(role: str, world: World, other_world: World, django_user_model):
    person = {
        "anonymous": None,
        "participant": world.participant.user,
        "group_mate": world.group_mate.user,
        "classmate": world.classmate.user,
        "trainer": world.trainer.user,
        "organiser": world.organiser.user,
        "outsider": other_world.participant.user,
        "staff": lambda: django_user_model.objects.create_superuser(
            "staff@example.com", "a-long-test-password"
        ),
        "team_member": lambda: _team_member(world),
    }[role]
    return person() if callable(person) else person


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(name, role, world, other_world, django_user_model):
    rule = MATRIX[name]
    client = client_for(_person(role, world, other_world, django_user_model))
    url = _url(name, world)
    data = {
        "language_set": {"language": "en", "next": "/"},
        "answer_save": {"version": "0"},
        "answer_comment": {"body": "Mitä kokeilet seuraavaksi?"},
        "post_edit": {"body": "Korjattu"},
        "comment_add": {"body": "Kiitos!"},
        "coaching_close": {"outcome": "Kysyn ensin."},
        "post_hide": {"on": "true"},
        "comment_hide": {"on": "true"},
        "live_answer": {"value": "aamukahvi"},
        "live_word_exclude": {"word": "kahvi"},
        "live_question_create": {"prompt": "Miltä tuntuu?", "kind": "words"},
        "mentoring_session_log": {"held_on": str(date.today()), "minutes": "30", "held": "held"},
        "mentoring_goal_add": {"text": "Kuuntelen loppuun"},
        "mentoring_note_add": {"text": "Sovittiin kokeilu"},
        "mentoring_pair_act": {"action": "pause"},
        "mentoring_pair_message": {"to": "both", "text": "Miten menee?"},
    }.get(name, {})
    response = {"POST": client.post, "HEAD": client.head}.get(rule.method, client.get)(url, data)
    expected = rule.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (name, role, url)


@pytest.mark.parametrize("name", ["cohort_training_day", "cohort_assignment"])
def test_a_page_of_another_programme_through_ones_own_cohort_is_404(name, world, other_world):
    """The cohort in the address is the person's own, but the page belongs to another path."""
    foreign_page = other_world.day if name == "cohort_training_day" else other_world.assignment
    response = client_for(world.participant.user).get(
        reverse(name, args=[world.cohort.slug, foreign_page.id])
    )
    assert response.status_code == 404


def test_a_wagtail_page_url_forwards_a_member_to_their_cohort(world):
    response = client_for(world.participant.user).get(world.day.url)
    assert response["Location"] == reverse(
        "cohort_training_day", args=[world.cohort.slug, world.day.id]
    )


def test_an_unpublished_page_is_404_for_participants(world):
    day = world.day
    day.unpublish()
    response = client_for(world.participant.user).get(
        reverse("cohort_training_day", args=[world.cohort.slug, day.id])
    )
    assert response.status_code == 404


def test_resending_an_invitation_to_another_cohorts_member_is_404(world, other_world):
    response = client_for(world.organiser.user).post(
        reverse("invitation_resend", args=[world.cohort.slug, other_world.group_mate.id])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role,expected", [("participant", 302), ("organiser", 302), ("trainer", 200), ("staff", 200)]
)
def test_wagtail_admin_is_for_trainers_and_staff(
    role, expected, world, other_world, django_user_model
):
    from polku.people.services import organisation_editors_get

    world.trainer.user.groups.add(organisation_editors_get(world.cohort.organisation))
    client = client_for(_person(role, world, other_world, django_user_model))
    response = client.get("/admin/")
    assert response.status_code == expected
    if expected == 302:  # to the site's login, which limits failed attempts
        assert response["Location"].startswith(reverse("account_login"))
    else:  # and they can open the editor of a training day
        assert client.get(f"/admin/pages/{world.day.id}/edit/").status_code == 200


def test_documents_need_a_membership_in_their_organisation(world, other_world, django_user_model):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from polku.people.services import organisation_editors_get

    organisation_editors_get(world.cohort.organisation)
    world.cohort.organisation.refresh_from_db()
    document = Document.objects.create(
        title="Slides",
        file=ContentFile(b"%PDF-1.4", "s.pdf"),
        collection=world.cohort.organisation.collection,
    )
    assert client_for(None).get(document.url).status_code in (302, 403)
    stranger = django_user_model.objects.create_user("stranger@example.com", "a-long-test-password")
    assert client_for(stranger).get(document.url).status_code == 403
    assert client_for(other_world.participant.user).get(document.url).status_code == 403
    assert client_for(world.participant.user).get(document.url).status_code == 200
    # A document outside every organisation's collection is for admins only.
    loose = Document.objects.create(title="Loose", file=ContentFile(b"%PDF-1.4", "l.pdf"))
    assert client_for(world.participant.user).get(loose.url).status_code == 403
