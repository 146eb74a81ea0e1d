"""In Chromium: a partner imports its register and clears a hit as a false positive; an
administrator loads a new list version and the partner's queue shows the hit from the rescreen.
Uses the shared ``browser`` and ``portal`` fixtures, with one logged-in page per persona."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ctpat.accounts.models import User
from ctpat.business_partners.models import ScreeningHit
from tests.business_partners.conftest import dpl_text
from tests.conftest import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER_CSV = (
    "name,relationship,party_type,country,address,identifiers,ctpat_status\n"
    "Banco Nacional de Cuba,customer,organization,CH,,,unknown\n"
    "Karachi Harbour Traders,supplier,organization,PK,,,not_member\n"
)


@pytest.fixture
def page_for(
    browser: Any, live_server: Any, portal: None, settings: Any, tmp_path: Path
) -> Iterator[Callable[[User], Any]]:
    """A page logged in as the persona (through a session cookie); lists stored under tmp."""
    settings.VAR_DIR = tmp_path
    contexts: list[Any] = []

    def open_as(user: User) -> Any:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
        context.add_cookies([cookie])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def test_import_dispose_and_rescreen_on_list_load(
    personas: Personas, page_for: Callable[[User], Any], tmp_path: Path
) -> None:
    from ctpat.business_partners.demo import demo_lists_load

    demo_lists_load()
    register = tmp_path / "register.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")

    alice = page_for(personas.alice)
    alice.goto("/business-partners/")
    alice.set_input_files("input[name=file]", str(register))
    alice.get_by_role("button", name="Import and screen").click()
    alice.get_by_text("2 business partners imported and screened.").wait_for()
    alice.get_by_role("link", name="Review queue (1)").click()
    alice.get_by_text("Banco Nacional de Cuba ↔ BANCO NACIONAL DE CUBA").wait_for()
    alice.get_by_label("Decision").select_option("false_positive")
    alice.get_by_label("Reason").fill(
        "Our customer is a Swiss trading firm of that name, not the Cuban central bank."
    )
    alice.get_by_role("button", name="Record decision").click()
    alice.get_by_text("No open hits.").wait_for()
    assert ScreeningHit.objects.get().disposed_by == personas.alice

    dpl = tmp_path / "dpl.txt"
    dpl.write_text(dpl_text(["KARACHI HARBOUR TRADERS"]), encoding="utf-8")
    adam = page_for(personas.adam)
    adam.goto("/business-partners/lists/")
    adam.get_by_label("Format").select_option("bis-dpl")
    adam.get_by_label("List code").fill("BIS-DPL")
    adam.set_input_files("input[name=list_files]", str(dpl))
    adam.get_by_role("button", name="Load and rescreen").click()
    adam.get_by_text("every business partner was screened again").wait_for()
    assert adam.get_by_text("First version of this list.").count() == 2  # OFAC-SDN and BIS-DPL

    alice.goto("/business-partners/review/")
    alice.get_by_text("Karachi Harbour Traders ↔ KARACHI HARBOUR TRADERS").wait_for()
    assert alice.get_by_text("Banco Nacional de Cuba ↔").count() == 0
