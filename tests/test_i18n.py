"""The interface speaks Finnish and English: the person's choice, else the browser's."""

from django.urls import reverse

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


def _po_entries(path):
    """(msgid, msgstr, is_fuzzy) of a .po file, read without extra tools."""
    import ast

    entries, current, fuzzy, field = [], {}, False, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append(
                    (
                        current["msgid"],
                        current.get("msgstr", "") or current.get("msgstr[0]", ""),
                        fuzzy,
                    )
                )
            current, fuzzy, field = {}, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _sep, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    return entries


def test_the_finnish_catalogue_is_complete_and_compiled():
    import gettext

    from django.conf import settings

    folder = settings.BASE_DIR / "locale" / "fi" / "LC_MESSAGES"
    entries = _po_entries(folder / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not untranslated
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, msgstr, _fuzzy in entries
        if "%(counter)s" not in msgid and catalogue.gettext(msgid) != msgstr
    ]
    assert not stale, "run: manage.py compilemessages -l fi"
