"""The demo: the path of PRODUCT.md, in Finnish, with dates around today so it looks alive.

`programme_build()` is shared with the benchmark seed (bench/seed.py)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from api.models import ApiToken, ProvisionedGroup, Scope, token_hash
from devtools import identity_providers as idp
from polku.people.models import Cohort, EmailDomain, Organisation, Role, SignOn, User
from polku.people.services import membership_add, memberships_join
from programmes.models import (
    AnswerScope,
    AssignmentPage,
    AssignmentSchedule,
    GrowthChainStep,
    ProgrammePage,
    TrainingDayPage,
    TrainingDaySchedule,
)
from programmes.services import programme_editors_sync, programme_index_get

DEMO_PASSWORD = "polku-demo-2026"
DEMO_ORGANISATION = "asiakaspalvelukeskus"
FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Ilkka",
    "Johanna",
    "Kalle",
    "Laura",
    "Mikko",
    "Niina",
    "Olli",
    "Päivi",
    "Riku",
    "Sanna",
    "Timo",
    "Ulla",
    "Ville",
    "Elina",
    "Jari",
    "Katja",
    "Markus",
    "Tiina",
    "Juha",
    "Minna",
    "Antti",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
]
GROUPS = ["Ryhmä Aalto", "Ryhmä Kallio", "Ryhmä Metsä", "Ryhmä Järvi"]


@dataclass
class Step:
    day_title: str
    day_intro: str
    step: str
    assignment_title: str
    assignment_intro: str
    reflection: str
    scope: str = AnswerScope.INDIVIDUAL


STEPS = [
    Step(
        "Aloituspäivä: esimies valmentajana",
        "Tutustumme toisiimme ja polkuun. Mitä on moderni johtaminen, kun tiimit ohjaavat "
        "itseään ja esimies on tukija ja sparraaja?",
        GrowthChainStep.GUIDING_IDEAS,
        "Aamukahvi, jossa tiimi jakaa onnistumisia",
        "Pidä tiimillesi aamukahvi, jossa jokainen kertoo yhden onnistumisen viikolta. "
        "Ota kuva taulusta ja pohdi, mitä tapahtui ja mitä kokeilet seuraavaksi.",
        "Mitä kokeilet ensi kerralla toisin?",
    ),
    Step(
        "Valmentava keskustelu",
        "Valmentaja kysyy, opettaja vastaa. Harjoittelemme, milloin kumpaakin tarvitaan.",
        GrowthChainStep.STRATEGY,
        "Alaiset valmentajinasi",
        "Pyydä yhtä tiimisi jäsentä valmentamaan sinua yhdessä työtilanteessa. Sopikaa "
        "tavoite ja ajankohta etukäteen.",
        "Mitä opit itsestäsi valmennettavana?",
    ),
    Step(
        "Palaute ja itseohjautuvuus",
        "Palaute katsoo taaksepäin, valmennus eteenpäin. Miten tiimi oppii antamaan palautetta "
        "ja ohjaamaan itseään?",
        GrowthChainStep.PLAN,
        "Pienryhmän pelisäännöt palautteelle",
        "Sopikaa pienryhmässä, millaisin pelisäännöin annatte toisillenne palautetta, ja "
        "kirjatkaa ne yhteiseen vastaukseen.",
        "Mikä pelisäännöistä on teille vaikein pitää?",
        AnswerScope.SMALL_GROUP,
    ),
    Step(
        "Vaikeat tilanteet",
        "Vaikeat keskustelut, muutosvastarinta ja ristiriidat: valmistautuminen ja jälkipuinti.",
        GrowthChainStep.OPERATIONS,
        "Valmistaudu vaikeaan keskusteluun",
        "Valitse tuleva vaikea keskustelu. Kirjoita tavoitteesi, kysymykset joilla avaat "
        "keskustelun, ja jälkikäteen mitä tapahtui.",
        "Mitä teet seuraavalla kerralla toisin?",
    ),
    Step(
        "Päätöspäivä ja mittaaminen",
        "Mittaaminen sulkee kasvun ketjun: saavutimmeko tavoitteet, ja jos emme, mihin "
        "palaamme — strategiaan, suunnitelmaan vai toteutukseen?",
        GrowthChainStep.MEASUREMENT,
        "Viikoittainen itsearviointi",
        "Arvioi viikon lopuksi: mikä meni hyvin ja mitä kehität. Tee tämä neljänä viikkona.",
        "Miten johtamisesi on muuttunut vuoden aikana?",
    ),
]
# Days from today on which the training days fall: two behind us, three ahead.
# Days from the first `start` on which the training days fall: two behind us, one today (so
# live questions and check-in can be tried at once), two ahead.
DAY_OFFSETS = [-90, -20, 0, 60, 150]


def _rich(text: str) -> str:
    return f"<p>{text}</p>"


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def programme_build(
    organisation: Organisation, title: str = "Esimiestyön kehityspolku 2026–2027"
) -> ProgrammePage:
    """The organisation's five-day programme with an assignment after each day."""
    index = programme_index_get()
    programme = _publish(
        index,
        ProgrammePage(
            organisation=organisation,
            title=title,
            summary="Vuoden mittainen polku asiakaspalvelun esimiehille: viisi valmennuspäivää, "
            "kehittämistehtävät arjessa ja pienryhmät.",
            goals="<ul><li>Esimies tukijana ja sparraajana</li><li>Valmentava ote arkeen</li>"
            "<li>Johtaminen näkyy tekoina: aamukahvit, palautteen pyytäminen, "
            "viikoittainen itsearviointi</li></ul>",
            audience="Asiakaspalvelukeskuksen esimiehet",
            duration="12 kuukautta",
        ),
    )
    for number, step in enumerate(STEPS, start=1):
        _publish(
            programme,
            TrainingDayPage(
                title=f"{number}. {step.day_title}",
                intro=step.day_intro,
                growth_chain_step=step.step,
                agenda=[
                    {
                        "type": "item",
                        "value": {"time": "9.00–9.30", "title": "Aamukahvi ja kuulumiset"},
                    },
                    {"type": "item", "value": {"time": "9.30–11.30", "title": step.day_title}},
                    {
                        "type": "item",
                        "value": {"time": "12.15–15.00", "title": "Pienryhmätyöskentely"},
                    },
                    {
                        "type": "item",
                        "value": {"time": "15.00–16.00", "title": "Yhteenveto ja seuraava tehtävä"},
                    },
                ],
                live_questions=[
                    {
                        "type": "question",
                        "value": {
                            "kind": "scale",
                            "prompt": "Kuinka valmis olet kokeilemaan tätä tiimisi kanssa?",
                            "choices": [],
                            "scale_max": "5",
                            "min_label": "en vielä",
                            "max_label": "heti huomenna",
                            "anonymous": True,
                        },
                    },
                    {
                        "type": "question",
                        "value": {
                            "kind": "words",
                            "prompt": "Yksi sana tästä päivästä?",
                            "choices": [],
                            "scale_max": "5",
                            "min_label": "",
                            "max_label": "",
                            "anonymous": True,
                        },
                    },
                    {
                        "type": "question",
                        "value": {
                            "kind": "commitment",
                            "prompt": "Mitä kokeilet ennen seuraavaa valmennuspäivää?",
                            "choices": [],
                            "scale_max": "5",
                            "min_label": "",
                            "max_label": "",
                            "anonymous": False,
                        },
                    },
                ],
                materials=[
                    {"type": "rich_text", "value": _rich(step.day_intro)},
                    {
                        "type": "callout",
                        "value": {
                            "tone": "tip",
                            "text": _rich(
                                "Ota päivän aikana kuvia fläppitauluista: ne tallentuvat "
                                "ryhmän työtilaan."
                            ),
                        },
                    },
                    {
                        "type": "reflection_question",
                        "value": {
                            "question": step.reflection,
                            "help_text": "",
                        },
                    },
                ],
            ),
        )
        _publish(
            programme,
            AssignmentPage(
                title=step.assignment_title,
                intro=step.assignment_intro,
                growth_chain_step=step.step,
                answer_scope=step.scope,
                # What to do, step by step: the introduction above already says why.
                instructions=[
                    {
                        "type": "rich_text",
                        "value": "<ol><li>Tee tehtävä tiimisi kanssa ennen eräpäivää.</li>"
                        "<li>Kirjaa alle, mitä teit ja mitä tapahtui; luonnos tallentuu "
                        "kirjoittaessasi.</li><li>Lähetä, kun olet valmis: valmentaja "
                        "vastaa ja voit jatkaa keskustelua.</li></ol>",
                    }
                ],
                answer_parts=[
                    {
                        "type": "text",
                        "value": {
                            "label": "Mitä teit ja mitä tapahtui?",
                            "help_text": "",
                            "required": True,
                        },
                    },
                    {
                        "type": "photos",
                        "value": {"label": "Kuva taulusta tai muistiinpanoista", "max_photos": 5},
                    },
                    {
                        "type": "reflection",
                        "value": {"question": step.reflection, "kind": "text", "choices": []},
                    },
                    {
                        "type": "reflection",
                        "value": {
                            "question": "Kuinka hyvin onnistuit?",
                            "kind": "scale",
                            "choices": [],
                        },
                    },
                    {"type": "files", "value": {"label": "Liitteet (vapaaehtoinen)"}},
                ],
            ),
        )
    programme_editors_sync(programme=programme)
    return programme


def cohort_schedule_build(cohort: Cohort, today: datetime | None = None) -> None:
    """Dates for every day and assignment of the cohort's programme, around today."""
    now = today or timezone.localtime()
    today = now.date()
    tz = timezone.get_current_timezone()
    days = list(TrainingDayPage.objects.child_of(cohort.programme))
    assignments = list(AssignmentPage.objects.child_of(cohort.programme))
    starts = [
        datetime.combine(today + timedelta(days=offset), time(9), tz) for offset in DAY_OFFSETS
    ]
    # Today's day is on whenever the demo is first started: from an hour ago (not before
    # midnight) for seven hours (not past today).
    midnight = datetime.combine(today, time(0), tz)
    today_start = max(midnight, now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    ends = [start + timedelta(hours=7) for start in starts]
    today_index = DAY_OFFSETS.index(0)
    starts[today_index] = today_start
    ends[today_index] = min(
        today_start + timedelta(hours=7), midnight + timedelta(hours=23, minutes=59)
    )
    for number, (day, assignment) in enumerate(zip(days, assignments, strict=True)):
        start = starts[number]
        TrainingDaySchedule.objects.create(
            cohort=cohort,
            page=day,
            starts_at=start,
            ends_at=ends[number],
            place="Sokos Hotel Presidentti, Helsinki" if number % 2 == 0 else "Teams",
        )
        opens = ends[number]
        due = (
            (starts[number + 1] - timedelta(days=7))
            if number + 1 < len(starts)
            else (start + timedelta(days=35))
        )
        AssignmentSchedule.objects.create(
            cohort=cohort, page=assignment, opens_at=opens, due_at=due
        )


@transaction.atomic
def demo_load() -> tuple[Cohort, list[tuple[str, str]]] | None:
    """Loads the demo once; returns None when it is there already."""
    if Organisation.objects.filter(slug=DEMO_ORGANISATION).exists():
        return None
    organisation = Organisation.objects.create(
        name="Asiakaspalvelukeskus Oy", slug=DEMO_ORGANISATION
    )
    cohort = Cohort.objects.create(
        organisation=organisation,
        programme=programme_build(organisation),
        name="Esimiespolku 2026–2027",
        slug="esimiespolku-2026",
        language="fi",
    )
    cohort_schedule_build(cohort)
    people = [
        ("organisaattori@polku.example", "Outi Organisaattori", Role.ORGANISER, ""),
        ("valmentaja1@polku.example", "Veera Valmentaja", Role.TRAINER, ""),
        ("valmentaja2@polku.example", "Pekka Valmentaja", Role.TRAINER, ""),
    ]
    for number in range(24):
        people.append(
            (
                f"osallistuja{number + 1:02d}@polku.example",
                f"{FIRST_NAMES[number]} {LAST_NAMES[number]}",
                Role.PARTICIPANT,
                GROUPS[number % len(GROUPS)],
            )
        )
    for email, name, role, group in people:
        membership, _created = membership_add(
            cohort=cohort, email=email, name=name, role=role, small_group_name=group
        )
        membership.user.set_password(DEMO_PASSWORD)
        membership.user.save(update_fields=["password"])
        memberships_join(user=membership.user)
    # Invited, not joined yet: shown as such to staff and not counted in the figures.
    membership_add(
        cohort=cohort,
        email="kutsuttu@polku.example",
        name="Kaisa Kutsuttu",
        role=Role.PARTICIPANT,
        small_group_name=GROUPS[0],
    )
    demo_sso_build(cohort)
    demo_scim_build(cohort)
    User.objects.create_superuser("admin@polku.example", DEMO_PASSWORD, first_name="Admin")
    demo_history_build(cohort)
    demo_team_surveys_build(cohort)
    demo_day_taken_into_use(cohort)
    demo_mentoring_build(cohort)
    logins = [
        ("admin@polku.example", "admin (Wagtail)"),
        ("organisaattori@polku.example", "organiser"),
        ("valmentaja1@polku.example", "trainer"),
        ("osallistuja01@polku.example", "participant"),
        ("tiina.tiimi@polku.example", "team member coaching osallistuja01 (mentoring only)"),
    ]
    return cohort, logins


def demo_sso_build(cohort: Cohort) -> None:
    """Addresses at the demo's SSO domain sign in at the organisation's own OpenID Connect
    provider (python dev.py idp), and only there; one such person is invited."""
    organisation = cohort.organisation
    organisation.sso_protocol = SignOn.OIDC
    organisation.sso_required = True
    organisation.sso_issuer = f"http://127.0.0.1:{idp.DEMO_OIDC_PORT}"
    organisation.sso_client_id = idp.DEMO_CLIENT_ID
    organisation.sso_client_secret = idp.DEMO_CLIENT_SECRET
    organisation.save()
    EmailDomain.objects.create(organisation=organisation, domain=idp.DEMO_SSO_DOMAIN)
    membership_add(
        cohort=cohort,
        email=f"sanna.sso@{idp.DEMO_SSO_DOMAIN}",
        name="Sanna Sisäänkirjautuja",
        role=Role.PARTICIPANT,
        small_group_name=GROUPS[1],
    )


DEMO_SCIM_TOKEN = "polku_demo-scim-token"  # a demo's known secret; real ones are random


def demo_scim_build(cohort: Cohort) -> None:
    """The organisation's HR system may provision its people over SCIM with a token whose
    secret the demo prints; its group of supervisors is linked to the cohort."""
    token = ApiToken(organisation=cohort.organisation, name="HR (demo)", scopes=[Scope.SCIM])
    token.key_hash = token_hash(DEMO_SCIM_TOKEN)
    token.key_start = DEMO_SCIM_TOKEN[:10]
    token.save()
    ProvisionedGroup.objects.create(
        organisation=cohort.organisation, display_name="Esihenkilöt (HR)", cohort=cohort
    )


def demo_history_build(cohort: Cohort) -> None:
    """The first months of the year as they might have gone: attendance of the days held,
    answers (most on time, some late, some missing), reviews; then the figures and the
    chart's history, computed from those rows. Written through the services, as of the
    moments they happened."""
    import random

    from programmes.assignments import services as answers
    from programmes.assignments.parts import answer_parts
    from progress import rollups
    from progress.models import Attendance
    from progress.services import attendance_mark

    chance = random.Random(2026)
    now = timezone.now()
    # Everyone was invited a month before the first training day.
    first_day = cohort.training_days.order_by("starts_at").first()
    invited = first_day.starts_at - timedelta(days=30)
    cohort.memberships.update(created_at=invited)
    cohort.memberships.exclude(joined_at=None).update(joined_at=invited + timedelta(days=2))
    participants = list(
        cohort.memberships.joined_participants().select_related("user", "small_group")
    )
    trainer = cohort.memberships.filter(role=Role.TRAINER).first().user
    for schedule in cohort.training_days.filter(ends_at__lte=now).select_related("page"):
        marks = {}
        for member in participants:
            absent = chance.random() < 0.1
            marks[member.id] = (
                Attendance.Status.ABSENT if absent else Attendance.Status.PRESENT,
                chance.choice(["Sairas", "Asiakastapaaminen", ""]) if absent else "",
                absent and chance.random() < 0.5,
            )
        attendance_mark(
            cohort=cohort,
            training_day=schedule.page,
            marks=marks,
            trainer=trainer,
            now=schedule.starts_at + timedelta(minutes=15),
        )
    for schedule in cohort.assignments.filter(opens_at__lte=now).select_related("page"):
        if schedule.page.answer_scope == AnswerScope.SMALL_GROUP:
            continue  # the groups' shared answers are theirs to write
        overdue = schedule.due_at <= now
        content = {
            part.id: "Kokeilin tätä tiimini kanssa ja kirjasin havainnot."
            for part in answer_parts(schedule.page)
            if part.kind == "text"
        }
        for member in participants:
            roll = chance.random()
            if roll < 0.12 if overdue else roll < 0.6:
                continue  # missing (or not written yet)
            late = overdue and roll > 0.85
            submitted_at = (
                schedule.due_at + timedelta(days=chance.uniform(0.5, 4))
                if late
                else schedule.opens_at
                + (min(now, schedule.due_at) - schedule.opens_at) * chance.uniform(0.3, 0.95)
            )
            answer = answers.answer_get_or_create(membership=member, assignment=schedule.page)
            answer = answers.answer_save(
                answer=answer,
                user=member.user,
                base_version=answer.version,
                content=content,
                submit=True,
                now=submitted_at,
            )
            if overdue and chance.random() < 0.6:
                answers.answer_mark_reviewed(
                    answer=answer, trainer=trainer, now=submitted_at + timedelta(days=2)
                )
    rollups.cohort_reconcile(cohort.id)
    if first_day.starts_at < now:
        today = timezone.localdate(now)
        rollups.snapshots_backfill(
            cohort.id, timezone.localdate(first_day.starts_at) - timedelta(days=7), today
        )


def demo_team_surveys_build(cohort: Cohort) -> None:
    """The coaching-leadership survey on the cohort: a baseline a month before the first
    training day and an end wave open now, both answered by the teams (six to nine people
    each; two teams too small at the end to show). Most items rise by half a point to a point;
    the team's goals do not. Every supervisor answered about themselves at the baseline."""
    import random

    from impact import services as impact
    from impact.instrument import coaching_survey_add
    from impact.models import Rater, SurveyWave, TeamResponse

    chance = random.Random(14)
    now = timezone.now()
    first_day = cohort.training_days.order_by("starts_at").first()
    survey = coaching_survey_add(cohort.programme)
    baseline = SurveyWave.objects.create(
        cohort=cohort,
        page=survey,
        kind="baseline",
        opens_at=first_day.starts_at - timedelta(days=21),
        closes_at=first_day.starts_at - timedelta(days=7),
        invitations_sent_at=first_day.starts_at - timedelta(days=21),
    )
    end = SurveyWave.objects.create(
        cohort=cohort,
        page=survey,
        kind="end",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=11),
        invitations_sent_at=now - timedelta(days=3),
    )
    items = impact.current_items(survey)
    statements = [item for item in items if item.is_statement]
    comments = [item for item in items if not item.is_statement]
    rises = {item.id: (0.0 if "tavoitteet" in item.text("fi") else 0.8) for item in statements}
    said = [
        (
            "Kuuntelee ja kysyy, mitä mieltä olen.",
            "Aamupalaverit, joissa kerrotaan onnistumisista.",
        ),
        ("Antaa meidän päättää, miten työ tehdään.", "Selkeämpiä tavoitteita tiimille."),
        ("Kiittää hyvästä työstä.", "Enemmän aikaa kahdenkeskisille keskusteluille."),
    ]
    rows = []
    supervisors = list(cohort.memberships.joined_participants().order_by("id"))
    for number, supervisor in enumerate(supervisors):
        start = chance.uniform(2.6, 3.4)
        for wave, size, lift in (
            (baseline, chance.randint(6, 9), 0.0),
            (end, 3 if number in (5, 17) else chance.randint(5, 8), 1.0),
        ):
            for person in range(size):
                values = {}
                for item in statements:
                    if chance.random() < 0.05:
                        values[str(item.id)] = 0  # can't say
                        continue
                    mean = start + lift * rises[item.id]
                    values[str(item.id)] = min(5, max(1, round(chance.gauss(mean, 0.8))))
                texts = {}
                if chance.random() < 0.6:
                    good, more = said[(number + person) % len(said)]
                    texts = {str(comments[0].id): good, str(comments[1].id): more}
                rows.append(
                    TeamResponse(
                        wave=wave,
                        supervisor=supervisor,
                        rater=Rater.TEAM,
                        values=values,
                        texts=texts,
                    )
                )
        rows.append(
            TeamResponse(
                wave=baseline,
                supervisor=supervisor,
                rater=Rater.SELF,
                values={str(item.id): chance.choice([3, 4, 4, 5]) for item in statements},
            )
        )
    TeamResponse.objects.bulk_create(rows)
    for wave in (baseline, end):
        impact.wave_figures_build(wave.id)


def demo_mentoring_build(cohort: Cohort) -> None:
    """Reverse mentoring on social media (three junior colleagues mentor three supervisors)
    and upward coaching (team members coach three supervisors, osallistuja01 among them),
    two months in: sessions, weekly check-ins, one pair at risk (missed check-ins, "too
    busy"), milestones and a lunch given; the programmes' figures built."""
    from mentoring import services as mentoring
    from mentoring.models import (
        CheckIn,
        FocusArea,
        MentoringGuidePage,
        MentoringSession,
        Pair,
        ProgrammeKind,
    )

    today = timezone.localdate()
    organiser = cohort.memberships.get(role=Role.ORGANISER).user
    supervisors = [m.user for m in cohort.memberships.joined_participants().order_by("id")]
    reverse = mentoring.programme_create(
        owner=organiser,
        organisation=cohort.organisation,
        cohort=cohort,
        name="Some ja asiakaskanavat",
        kind=ProgrammeKind.REVERSE,
        focus_area=FocusArea.SOCIAL_MEDIA,
        problem="Asiakkaat kysyvät ja antavat palautetta somessa, esihenkilöt eivät seuraa sitä.",
        in_house="Nuoret asiakasneuvojat hoitavat jo yrityksen Instagram- ja TikTok-tilejä.",
        mentor_criteria="Kärsivällisyys, halu opettaa, omaa kokemusta asiakasviestinnästä somessa.",
        starts_on=today - timedelta(days=63),
        ends_on=today + timedelta(days=120),
        minimum_hours=10,
        weekly_weeks=8,
        recognition_plan="Pizzalounas ensimmäisen tapaamisen jälkeen; valinnainen koulutus, "
        "kun vähimmäistunnit täyttyvät.",
    )
    upward = mentoring.programme_create(
        owner=organiser,
        organisation=cohort.organisation,
        cohort=cohort,
        name="Tiimi valmentaa",
        kind=ProgrammeKind.UPWARD,
        focus_area=FocusArea.CAPABILITY,
        problem="Esihenkilöt saavat harvoin suoraa palautetta omalta tiimiltään.",
        starts_on=today - timedelta(days=63),
        ends_on=today + timedelta(days=200),
        minimum_hours=6,
        weekly_weeks=8,
        recognition_plan="Kiitoskortti ja lounas valmentajalle jakson lopussa.",
    )

    def person(email, name, helps="", wants=""):
        first, last = name.split(" ")
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, language="fi"
        )
        mentoring.profile_save(
            user=user,
            organisation=cohort.organisation,
            can_help_with=helps,
            wants_help_with=wants,
            capacity=2 if helps else 1,
        )
        return user

    mentors = [
        person("aino.nuori@polku.example", "Aino Nuori", "Instagram, asiakaspalvelu somessa"),
        person("eetu.nuori@polku.example", "Eetu Nuori", "TikTok, videot, somemarkkinointi"),
        person("siiri.nuori@polku.example", "Siiri Nuori", "LinkedIn, verkostot, somemarkkinointi"),
    ]
    for supervisor in supervisors[1:4]:
        mentoring.profile_save(
            user=supervisor, organisation=cohort.organisation, wants_help_with="somemarkkinointi"
        )
    coaches = [
        person("tiina.tiimi@polku.example", "Tiina Tiimiläinen"),
        person("jussi.tiimi@polku.example", "Jussi Tiimiläinen"),
        person("maria.tiimi@polku.example", "Maria Tiimiläinen"),
    ]
    started = timezone.now() - timedelta(days=56)
    pairs = [
        Pair.objects.create(programme=reverse, mentor=mentor, mentee=mentee, created_at=started)
        for mentor, mentee in zip(mentors, supervisors[1:4], strict=True)
    ] + [
        Pair.objects.create(programme=upward, mentor=coach, mentee=mentee, created_at=started)
        for coach, mentee in zip(coaches, [supervisors[0], *supervisors[4:6]], strict=True)
    ]
    at_risk = pairs[2]
    sessions, checkins = [], []
    for number, pair in enumerate(pairs):
        programme = reverse if pair.programme_id == reverse.id else upward
        for week in range(8):
            day = timezone.localdate(started) + timedelta(days=7 * week + 2)
            if pair is at_risk and week > 2:
                continue  # too busy: they stopped meeting and answering
            if week % 2 == 0 or number % 2:
                sessions.append(
                    MentoringSession(
                        pair=pair,
                        held_on=day,
                        minutes=60 if week % 4 else 45,
                        casual=programme.is_upward and week % 3 == 1,
                        logged_by=pair.mentee,
                    )
                )
            start = mentoring.period_start(pair.started_on, programme.weekly_weeks, day)
            for user in (pair.mentor, pair.mentee):
                low = pair is at_risk and week == 2
                checkins.append(
                    CheckIn(
                        pair=pair,
                        user=user,
                        period_start=start,
                        score=2 if low else 4,
                        met=not low,
                        too_busy=low,
                        in_the_way="Kvartaalin loppu, ei aikaa tavata." if low else "",
                    )
                )
    MentoringSession.objects.bulk_create(sessions)
    CheckIn.objects.bulk_create(checkins, ignore_conflicts=True)
    supervisor_one = pairs[3]
    supervisor_one.goals.create(text="Kysyn tiimipalaverissa ensin tiimin näkemyksen.")
    supervisor_one.goals.create(text="Annan palautetta viikoittain, en vain kehityskeskustelussa.")
    supervisor_one.notes.create(
        author=supervisor_one.mentor,
        text="Sovittiin, että kokeilen ensi viikon palaverissa kysymystä “mitä te ehdottaisitte?”.",
    )
    mentoring.coach_invite(  # the next in line, once Tiina's coaching ends
        programme=upward,
        supervisor=supervisors[0],
        name="Olli Tiimiläinen",
        email="olli.tiimi@polku.example",
    )
    _publish(
        cohort.programme,
        MentoringGuidePage(
            title="Mentorin ja valmentajan opas",
            audience="mentors",
            body=[
                (
                    "rich_text",
                    _rich(
                        "Anna toisen asettaa tavoitteet. Kysy ennemmin kuin neuvo: mitä "
                        "kokeilisit, mikä estää, mistä tiedät onnistuneesi? Sovi jokaisen "
                        "tapaamisen lopuksi yksi pieni kokeilu ja kysy seuraavalla kerralla, "
                        "miten se meni."
                    ),
                ),
            ],
        ),
    )
    for programme in (reverse, upward):
        mentoring.programme_figures_build(programme.id)
    mentoring.recognition_record(
        programme=reverse,
        user_id=pairs[0].mentor_id,
        what="Pizzalounas",
        given_on=today - timedelta(days=40),
        by=organiser,
    )


def demo_day_taken_into_use(cohort: Cohort) -> None:
    """The second training day (20 days ago) taken into use: its live questions answered and
    closed, a theme renamed, the day published with a closing note, the commitments brought
    back in the assignment after it, and a small group's rules shared in the library."""
    from programmes.live import services as live
    from programmes.live.models import LiveQuestion
    from workspaces import services as workspaces

    days = list(cohort.training_days.order_by("starts_at").select_related("page"))
    day = days[1].page
    trainer = cohort.memberships.filter(role=Role.TRAINER).first().user
    live.prepared_questions_sync(cohort=cohort, training_day=day)
    participants = list(cohort.memberships.joined_participants().order_by("id"))
    words = ["luottamus", "kuuntelu", "luottamusta", "palaute", "kuunteleminen", "rohkeus"]
    commitments = [
        "Kysyn tiimiltä palautetta viikkopalaverissa",
        "Pidän jokaisen kanssa kahdenkeskisen keskustelun",
        "Kysyn palautetta ennen kuin kerron oman näkemykseni",
        "Aloitan viikkopalaverin onnistumisilla",
        "Kahdenkeskiset keskustelut joka toinen viikko",
        "Annan palautetta heti, en vasta kehityskeskustelussa",
    ]
    questions = LiveQuestion.objects.filter(cohort=cohort, training_day=day).order_by("id")
    for question in questions:
        live.question_open(question=question)
        question.refresh_from_db()
        for number, membership in enumerate(participants[:18]):
            raw = {
                "scale": str(3 + number % 3),
                "words": words[number % len(words)],
                "commitment": commitments[number % len(commitments)],
            }.get(question.kind)
            if raw:
                live.answer_submit(question=question, user=membership.user, raw=raw)
        live.question_close(question=question)
        live.summary_store(question_id=question.id)
    commitment = questions.get(kind=LiveQuestion.Kind.COMMITMENT)
    themes = commitment.summary.data.get("themes", [])
    if themes:
        live.curation_set(
            question=commitment, action="rename", theme=themes[0]["lemma"], name="Palaute tiimiltä"
        )
        live.summary_store(question_id=commitment.id, force=True)
    assignment = (
        AssignmentPage.objects.live().child_of(cohort.programme).filter(path__gt=day.path).first()
    )
    live.commitment_link(question=commitment, assignment_id=assignment.id if assignment else None)
    live.day_publish(
        cohort=cohort,
        training_day=day,
        by=trainer,
        note="Kiitos päivästä! Kokeilkaa sitoumustanne ennen seuraavaa päivää ja kertokaa "
        "tehtävässä, miten meni.",
    )
    group = participants[0].small_group
    workspaces.note_save(
        group=group,
        user=participants[0].user,
        base_version=0,
        body="## Palautteen pelisäännöt\n\n- Kysy ensin, kerro sitten.\n"
        "- Palaute heti, ei kehityskeskustelussa.\n- Kiitä ääneen.",
    )
    workspaces.output_share(
        group=group,
        user=participants[0].user,
        kind="note",
        title="Palautteen pelisäännöt",
        theme="Palaute",
        day_id=day.id,
    )
