"""The interface speaks Finnish and English: the person's choice, else the browser's."""

import re

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from tests.conftest import client_for


def _path(client, world, **headers):
    return client.get(reverse("cohort_path", args=[world.cohort.slug]), **headers).content.decode()


def test_the_browser_language_is_used_when_the_person_has_not_chosen(world):
    client = client_for(world.participant.user)
    assert "Oma polku" in _path(client, world, HTTP_ACCEPT_LANGUAGE="fi")
    assert "My path" in _path(client, world, HTTP_ACCEPT_LANGUAGE="en")


def test_choosing_a_language_is_remembered_on_the_account(world):
    client = client_for(world.participant.user)
    path_url = reverse("cohort_path", args=[world.cohort.slug])
    response = client.post(reverse("language_set"), {"language": "en", "next": path_url})
    assert response["Location"] == path_url
    world.participant.user.refresh_from_db()
    assert world.participant.user.language == "en"
    # Another device with a Finnish browser: logging in brings the person's choice along.
    from django.test import Client

    from tests.factories import PASSWORD

    other_device = Client(HTTP_ACCEPT_LANGUAGE="fi")
    other_device.post(
        reverse("account_login"), {"login": world.participant.user.email, "password": PASSWORD}
    )
    assert "My path" in _path(other_device, world, HTTP_ACCEPT_LANGUAGE="fi")


def test_the_language_switch_does_not_redirect_off_site(world):
    response = client_for(world.participant.user).post(
        reverse("language_set"), {"language": "fi", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused(world):
    response = client_for(world.participant.user).post(reverse("language_set"), {"language": "xx"})
    assert response.status_code == 400


def test_the_login_page_is_in_finnish_for_a_finnish_browser(db, client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Kirjaudu Polkuun" in html


CATALOGUE = settings.BASE_DIR / "locale" / "fi" / "LC_MESSAGES"


def test_the_finnish_catalogue_is_complete_and_compiled():
    """Every message is translated (plural forms and contexts too), and the compiled .mo says
    what the .po says."""
    import gettext

    entries = [e for e in polib.pofile(str(CATALOGUE / "django.po")) if not e.obsolete]
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.translated() or "fuzzy" in e.flags]
    assert not untranslated, untranslated
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for e in entries:
        if e.msgid_plural:
            forms = [catalogue.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            if forms != [e.msgstr_plural[0], e.msgstr_plural[1]]:
                stale.append(e.msgid)
        elif e.msgctxt:
            if catalogue.pgettext(e.msgctxt, e.msgid) != e.msgstr:
                stale.append(e.msgid)
        elif catalogue.gettext(e.msgid) != e.msgstr:
            stale.append(e.msgid)
    assert not stale, "run: manage.py compilemessages -l fi"


# A number's placeholder followed by a word: "%(count)s changes", "{{ n }} answers".
NUMBER_THEN_WORD = re.compile(r"%\((?:count|counter|n|total|number)\)s (?!of\b)[A-Za-z]")
COUNT_THEN_TRANSLATED_WORD = re.compile(
    r"\{\{\s*[\w.]*(?:count|length|total|waiting)[\w.|]*\s*\}\}(?:</span>)?\s*"
    r"\{%\s*translate\s+[\"'][a-z]"
)


def test_a_number_shown_next_to_a_word_has_plural_forms():
    """ "1 answers" and "2 vastaus" are wrong: a number next to a noun goes through ngettext
    or {% blocktranslate count %}, which give each language its plural forms."""
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    singular = [
        e.msgid for e in catalogue if not e.msgid_plural and NUMBER_THEN_WORD.search(e.msgid)
    ]
    assert not singular, singular
    templates = [
        path
        for path in settings.BASE_DIR.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates
        for match in COUNT_THEN_TRANSLATED_WORD.finditer(path.read_text())
    ]
    assert not found, found


def test_the_verb_open_and_the_state_open_are_two_words_in_finnish():
    with translation.override("fi"):
        assert pgettext("verb", "Open") == "Avaa"
        assert pgettext("state", "Open") == "Auki"


def test_the_message_after_logging_in_is_in_the_persons_own_language(world):
    from django.test import Client

    from tests.factories import PASSWORD

    user = world.participant.user
    user.language = "en"
    user.save(update_fields=["language"])
    finnish_browser = Client(HTTP_ACCEPT_LANGUAGE="fi")
    page = finnish_browser.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    ).content.decode()
    assert "Successfully signed in" in page and "My path" in page
