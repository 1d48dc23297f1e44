import os
import shutil

import pytest

CHROMIUM = os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium")
# Flags that work on this kind of machine: no sandbox as root, and no background networking
# (the closed network refuses it, many connections at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser():
    # One per test: Playwright's event loop must end with the test, or Django refuses the
    # ORM calls of later tests in this thread as coming from an async context.
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must have Chromium at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _async_unsafe(monkeypatch):
    """Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    happen outside any await, so Django's async guard stands down, for browser tests only."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def screenshots(settings):
    folder = settings.BASE_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def csp_violations(page) -> list[str]:
    """What the browser refused to run or load under the Content-Security-Policy, as the
    page goes on (collected into the returned list)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def csp_directives(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources}."""
    return dict(part.strip().partition(" ")[::2] for part in header.split(";") if part.strip())


# What a person taps: buttons, button-like links, disclosure summaries, back links.
CONTROLS = "button, .button, summary, .back, label.button, input[type=submit]"


def small_controls(page, minimum: int = 44) -> list[str]:
    """The visible controls on the page lower than `minimum` CSS pixels."""
    return page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el, el.getBoundingClientRect().height])
            .filter(([el, height]) => height < minimum)
            .map(([el, h]) => `${el.textContent.trim().slice(0, 40)} ${Math.round(h)}`)""",
        [CONTROLS, minimum],
    )
