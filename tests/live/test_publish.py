"""The trainer publishes the day's summary to the cohort: participants find it on the day, on
their path and in their group's workspace, as a page and a PDF; organisers download it as a
spreadsheet; a correction shows as such; unpublishing takes it away."""

import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from programmes.live import services
from programmes.live.models import LiveQuestion
from tests.conftest import client_for, live_question_build
from tests.factories import MembershipFactory


def _closed(world, kind, prompt, values, options=None):
    question = live_question_build(world, kind=kind, prompt=prompt, options=options)
    people = [world.participant, world.group_mate, world.classmate]
    people += [MembershipFactory(cohort=world.cohort) for _n in range(max(0, len(values) - 3))]
    for membership, value in zip(people, values, strict=False):
        services.answer_submit(question=question, user=membership.user, raw=value)
    services.question_close(question=question)
    services.summary_store(question_id=question.id)
    return question


def _day(world):
    _closed(world, "scale", "Miten päivä onnistui?", ["4", "5", "4"], {"min": 1, "max": 5})
    _closed(
        world,
        "open",
        "Mitä kokeilet?",
        [
            "Avoin keskustelu aamukahvilla",
            "avoimet keskustelut tiimin kanssa",
            "Aamukahvi perjantaisin",
            "Kysyn palautetta aamukahvilla",
        ],
    )
    _closed(world, "open", "Kaksi vastasi", ["Salainen yksi", "Salainen kaksi"])
    hidden = _closed(world, "words", "Piilotettu kysymys", ["piilo", "piilo", "piilo"])
    LiveQuestion.objects.filter(id=hidden.id).update(hidden=True)


def test_a_published_day_reaches_the_cohort_as_a_page_a_pdf_and_a_spreadsheet(world):
    _day(world)
    trainer = client_for(world.trainer.user)
    publish = reverse("live_publish", args=[world.cohort.slug, world.day.id])
    trainer.post(publish, {"note": "Kiitos päivästä! Kokeilkaa aamukahvia."})
    summary_url = reverse("live_summaries", args=[world.cohort.slug, world.day.id])
    participant = client_for(world.participant.user)
    page = participant.get(summary_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kiitos päivästä!" in page and "Miten päivä onnistui?" in page
    assert "avoin keskustelu" in page.lower() and "Results are shown from 3 answers" in page
    assert "Salainen" not in page and "Piilotettu" not in page
    path = participant.get(reverse("cohort_path", args=[world.cohort.slug])).content.decode()
    assert summary_url in path
    group = world.participant.small_group_id
    workspace = participant.get(reverse("workspace", args=[world.cohort.slug, group]))
    assert summary_url in workspace.content.decode()

    pdf = participant.get(reverse("live_summary_pdf", args=[world.cohort.slug, world.day.id]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kiitos päivästä!" in text and "Miten päivä onnistui?" in text
    assert "Mitä kokeilet?" in text and "Salainen" not in text

    xlsx_url = reverse("live_summary_xlsx", args=[world.cohort.slug, world.day.id])
    sheet = load_workbook(io.BytesIO(client_for(world.organiser.user).get(xlsx_url).content))
    rows = [list(row) for row in sheet.active.iter_rows(values_only=True)]
    assert ["Miten päivä onnistui?", "4", 2] in [row[:3] for row in rows]
    assert participant.get(xlsx_url).status_code == 404


def test_a_correction_shows_as_such_and_unpublishing_takes_the_day_away(world):
    _day(world)
    trainer = client_for(world.trainer.user)
    publish = reverse("live_publish", args=[world.cohort.slug, world.day.id])
    trainer.post(publish, {"note": "Ensimmäinen"})
    trainer.post(publish, {"note": "Korjattu muistiinpano", "correction": "Lisätty kiitos"})
    participant = client_for(world.participant.user)
    summary_url = reverse("live_summaries", args=[world.cohort.slug, world.day.id])
    page = participant.get(summary_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Corrected" in page and "Lisätty kiitos" in page and "Korjattu muistiinpano" in page
    trainer.post(publish, {"action": "unpublish"})
    page = participant.get(summary_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has not published" in page and "Korjattu" not in page
    pdf_url = reverse("live_summary_pdf", args=[world.cohort.slug, world.day.id])
    assert participant.get(pdf_url).status_code == 404
    path = participant.get(reverse("cohort_path", args=[world.cohort.slug])).content.decode()
    assert summary_url not in path


def test_publishing_a_day_with_nothing_closed_says_why(world):
    live_question_build(world, kind="open")  # open, not closed
    trainer = client_for(world.trainer.user)
    publish = reverse("live_publish", args=[world.cohort.slug, world.day.id])
    page = trainer.post(publish, {"note": "x"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Close at least one question" in page.content.decode()
