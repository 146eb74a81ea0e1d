"""Chromium through Playwright against pytest-django's live server (which serves the static
files, so the pages render with their real USWDS styles).

Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from a
thread with a running loop unless told that this is safe, which it is here: the test only sets
data up and reads it back between browser steps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

Screenshot = Callable[[Page, str], Path]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def portal(settings: Settings, tmp_path: Path) -> None:
    """Evidence files in a temporary folder; agency staff may skip TOTP as in the local demo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_RELAX_2FA = True


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None, portal: None) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Screenshot:
    """Save a full-page screenshot; the folder is CTPAT_SCREENSHOTS when set, else a tmp folder."""
    folder = Path(os.environ.get("CTPAT_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page: Page, name: str) -> Path:
        path = folder / f"{request.node.name}-{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
