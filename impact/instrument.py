"""A ready instrument on coaching leadership, Polku's own wording (not a commercial scale):
what a team sees when their supervisor asks for feedback, shares successes, listens, lets the
team decide and follows up. Used by the demo and by trainers as a starting point."""

import uuid

from django.utils.text import slugify

from .models import SurveyPage

SECTIONS = [
    (
        ("Palaute ja arvostus", "Feedback and recognition"),
        [
            ("Palaute", "Esihenkilöni pyytää minulta palautetta omasta toiminnastaan.",
             "My supervisor asks me for feedback on how they lead."),
            ("Palaute", "Saan esihenkilöltäni palautetta, josta on hyötyä työssäni.",
             "The feedback I get from my supervisor helps me in my work."),
            ("Arvostus", "Esihenkilöni nostaa esiin tiimin onnistumisia.",
             "My supervisor brings up the team's successes."),
            ("Arvostus", "Saan tunnustusta hyvin tehdystä työstä.",
             "I get recognition for work well done."),
        ],
    ),
    (
        ("Kuuntelu", "Listening"),
        [
            ("Kuuntelu", "Esihenkilöni kuuntelee ennen kuin neuvoo.",
             "My supervisor listens before giving advice."),
            ("Kuuntelu", "Esihenkilöni kysyy kysymyksiä, jotka auttavat minua löytämään "
             "ratkaisun itse.",
             "My supervisor asks questions that help me find the answer myself."),
            ("Kuuntelu", "Voin ottaa vaikeatkin asiat puheeksi esihenkilöni kanssa.",
             "I can raise difficult matters with my supervisor."),
        ],
    ),
    (
        ("Itseohjautuvuus", "Self-direction"),
        [
            ("Itseohjautuvuus", "Tiimimme saa itse päättää, miten työ tehdään.",
             "Our team decides for itself how the work is done."),
            ("Itseohjautuvuus", "Esihenkilöni luottaa siihen, että hoidan työni.",
             "My supervisor trusts me to do my work."),
            ("Itseohjautuvuus", "Esihenkilöni tukee minua oppimaan uutta.",
             "My supervisor supports me in learning new things."),
        ],
    ),
    (
        ("Sovitusta kiinni pitäminen", "Following up"),
        [
            ("Seuranta", "Esihenkilöni seuraa, että sovitut asiat toteutuvat.",
             "My supervisor follows up on what was agreed."),
            ("Seuranta", "Tiimimme tavoitteet ovat minulle selvät.",
             "Our team's goals are clear to me."),
        ],
    ),
]  # fmt: skip
OPEN_QUESTIONS = [
    ("Mitä esihenkilösi tekee erityisen hyvin?", "What does your supervisor do especially well?"),
    ("Mitä toivoisit esihenkilösi tekevän enemmän?",
     "What would you like your supervisor to do more?"),
]  # fmt: skip


def coaching_stream() -> list[dict]:
    """The instrument as StreamField data, each block with its own id (the item's identity)."""
    stream = []
    for (title_fi, title_en), items in SECTIONS:
        stream.append(
            {
                "type": "section",
                "id": str(uuid.uuid4()),
                "value": {"title_fi": title_fi, "title_en": title_en, "title_sv": ""},
            }
        )
        for theme, text_fi, text_en in items:
            stream.append(
                {
                    "type": "statement",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "text_fi": text_fi,
                        "text_en": text_en,
                        "text_sv": "",
                        "theme": theme,
                        "growth_chain_step": "operations",
                    },
                }
            )
    stream.append(
        {
            "type": "section",
            "id": str(uuid.uuid4()),
            "value": {"title_fi": "Omin sanoin", "title_en": "In your own words", "title_sv": ""},
        }
    )
    for text_fi, text_en in OPEN_QUESTIONS:
        stream.append(
            {
                "type": "open",
                "id": str(uuid.uuid4()),
                "value": {"text_fi": text_fi, "text_en": text_en, "text_sv": "", "theme": ""},
            }
        )
    return stream


def coaching_survey_add(
    programme, title: str = "Valmentava johtaminen tiimin silmin"
) -> SurveyPage:
    """Adds the instrument under the programme and publishes it (its items follow)."""
    page = SurveyPage(
        title=title,
        slug=slugify(title)[:50] or "tiimikysely",
        intro_fi="Kerro, miten näet esihenkilösi johtamisen. Vastaaminen vie noin kolme minuuttia.",
        intro_en="Tell us how you see your supervisor's leadership. It takes about three minutes.",
        items=coaching_stream(),
    )
    programme.add_child(instance=page)
    page.save_revision().publish()
    return page
