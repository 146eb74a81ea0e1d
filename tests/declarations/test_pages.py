"""Every targeting page against every persona, partner isolation, the uploads, and what each page
shows on the hand-made set of ``conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ctpat.accounts.models import User
from ctpat.declarations.models import Declaration, DeclarationBatch, OutcomeImport, TargetingModelVersion
from tests.conftest import Personas
from tests.declarations.conftest import ACME_PEOPLE, AGENCY, EVERYONE, OPERATORS, declaration_file

UserNamed = Callable[[str | None], User | None]
ClientFor = Callable[[User | None], Client]
PARTNERS = ACME_PEOPLE | {"erin"}


def _expected(who: str | None, allowed: set[str], *, hidden: set[str] | frozenset[str] = frozenset()) -> int:
    if who is None:
        return 302  # to the log-in page
    if who in allowed:
        return 200
    return 404 if who in hidden else 403


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_open_each_page(
    hand_made: Personas, user_named: UserNamed, client_for: ClientFor, who: str | None
) -> None:
    client = client_for(user_named(who))
    statuses = {
        "analysis": client.get("/targeting/").status_code,
        "models": client.get("/targeting/models/").status_code,
        "upload": client.get("/targeting/upload/").status_code,
        "mine": client.get("/targeting/mine/").status_code,
        "acme's declaration": client.get("/targeting/declarations/M1/").status_code,
        "a non-member's": client.get("/targeting/declarations/N1/").status_code,
        "unknown": client.get("/targeting/declarations/NOPE/").status_code,
    }
    assert statuses == {
        "analysis": _expected(who, AGENCY),
        "models": _expected(who, AGENCY),
        "upload": _expected(who, OPERATORS),
        "mine": _expected(who, PARTNERS),
        "acme's declaration": _expected(who, AGENCY | ACME_PEOPLE, hidden={"erin"}),
        "a non-member's": _expected(who, AGENCY, hidden=PARTNERS),
        "unknown": _expected(who, set(), hidden=AGENCY | PARTNERS),
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_upload_and_activate(
    members: Personas,
    active_model: TargetingModelVersion,
    user_named: UserNamed,
    client_for: ClientFor,
    tmp_path: Path,
    who: str | None,
) -> None:
    client = client_for(user_named(who))
    path = declaration_file(tmp_path / "declarations.csv", rows=slice(0, 40))
    upload = SimpleUploadedFile("declarations.csv", path.read_bytes(), content_type="text/csv")
    scored = client.post(
        "/targeting/upload/declarations/", {"file": upload, "budget": "0.1", "random_share": "0.25"}
    )
    outcomes = SimpleUploadedFile(
        "outcomes.csv", b"declaration_id,inspected,fraud,critical\n", content_type="text/csv"
    )
    recorded = client.post("/targeting/upload/outcomes/", {"file": outcomes})
    activated = client.post(f"/targeting/models/{active_model.pk}/activate/")
    allowed = who in OPERATORS
    expected = 302 if who is None or allowed else 403
    assert (scored.status_code, recorded.status_code, activated.status_code) == (expected,) * 3
    assert DeclarationBatch.objects.count() == int(allowed)
    assert OutcomeImport.objects.count() == int(allowed)


def test_upload_scores_the_file_and_records_outcomes(
    members: Personas, active_model: TargetingModelVersion, tina: User, client_for: ClientFor, tmp_path: Path
) -> None:
    client = client_for(tina)
    path = declaration_file(tmp_path / "declarations.csv")
    upload = SimpleUploadedFile("march.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(
        "/targeting/upload/declarations/",
        {"file": upload, "budget": "0.05", "random_share": "0.1"},
        follow=True,
    )
    assert "140 declarations scored; 7 selected for examination." in response.content.decode()
    batch = DeclarationBatch.objects.get()
    assert (batch.source_name, batch.scored_by, batch.declarations_count) == ("march.csv", tina, 140)
    first = batch.declarations.get(position=0)
    content = f"declaration_id,inspected,fraud,critical\n{first.declaration_id},1,1,0\n".encode()
    outcomes = SimpleUploadedFile("outcomes.csv", content, content_type="text/csv")
    response = client.post("/targeting/upload/outcomes/", {"file": outcomes}, follow=True)
    assert "1 examination outcomes recorded." in response.content.decode()
    first.refresh_from_db()
    assert first.fraud is True


def test_a_refused_upload_shows_each_line_and_stores_nothing(
    members: Personas, active_model: TargetingModelVersion, tina: User, client_for: ClientFor, tmp_path: Path
) -> None:
    text = declaration_file(tmp_path / "declarations.csv").read_text().splitlines()
    header = text[0].split(",")
    cells = text[2].split(",")
    cells[header.index("net_mass")] = "-3"
    text[2] = ",".join(cells)
    upload = SimpleUploadedFile("bad.csv", "\n".join(text).encode(), content_type="text/csv")
    response = client_for(tina).post(
        "/targeting/upload/declarations/", {"file": upload, "budget": "0.05", "random_share": "0.1"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The file was refused; nothing was stored" in page
    assert "line 3: net_mass: &#x27;-3&#x27; is negative" in page
    assert not Declaration.objects.exists()
    outcomes = SimpleUploadedFile(
        "o.csv", b"declaration_id,inspected,fraud,critical\nNOPE,1,0,0\n", content_type="text/csv"
    )
    response = client_for(tina).post("/targeting/upload/outcomes/", {"file": outcomes})
    assert response.status_code == 422
    assert "line 2: declaration_id: &#x27;NOPE&#x27; is not a scored declaration" in response.content.decode()


def test_analysis_page_shows_charts_and_numbers(hand_made: Personas, client_for: ClientFor) -> None:
    page = client_for(hand_made.pat).get("/targeting/").content.decode()
    assert page.count('data-testid="chart"') == 5
    assert "14 declarations in 2 scored files; 4 selected for examination." in page
    assert "<td>13</td><td>4</td><td>30.8%</td><td>1.00×</td>" in page  # non-members
    assert "Violations were found in 33.3% of the 3 risk-selected declarations" in page
    assert "Compliance rate 100.0%" in page
    assert "Cost in precision: 16.7% (points); 2 declarations changed" in page
    assert "Synthetic demo data" not in page


def test_analysis_page_says_when_data_is_synthetic(hand_made: Personas, client_for: ClientFor) -> None:
    DeclarationBatch.objects.filter(source_name="january.csv").update(
        is_synthetic=True, note="Member links are synthetic."
    )
    page = client_for(hand_made.pat).get("/targeting/").content.decode()
    assert 'data-testid="synthetic-notice"' in page and "Member links are synthetic." in page


def test_model_page_shows_what_the_model_was_trained_on(
    db: None, active_model: TargetingModelVersion, personas: Personas, client_for: ClientFor
) -> None:
    page = client_for(personas.rita).get("/targeting/models/").content.decode()
    assert "Tiny model" in page and "Active" in page
    assert "train: 360 declarations" in page and "valid: 140 declarations" in page
    assert "sha256:t" in page and "lightgbm" in page
    assert page.count('<th scope="row">') >= 4 and "5%" in page  # precision and recall at 1, 2, 5, 10%
    assert active_model.top_features[0]["feature"] in page
    assert "by the command line" in page


def test_my_examinations_shows_only_the_partners_own(hand_made: Personas, client_for: ClientFor) -> None:
    page = client_for(hand_made.alice).get("/targeting/mine/").content.decode()
    # Declaration IDs are matched as link text: a bare "M1" can occur inside the CSRF token.
    assert ">M1</a>" in page and ">N1</a>" not in page and ">P1</a>" not in page
    assert "0 of your 1 declarations were selected for examination (0.0%)." in page
    assert "Importers who are not CTPAT members were examined at 30.8%." in page
    assert "Without your tier's reduction, 1 would have been selected for examination instead of 0." in page
    beta = client_for(hand_made.erin).get("/targeting/mine/").content.decode()
    assert "No declaration has been linked" in beta and ">M1</a>" not in beta


def test_navigation_links(hand_made: Personas, client_for: ClientFor) -> None:
    assert 'href="/targeting/"' in client_for(hand_made.sam).get("/targeting/models/").content.decode()
    assert 'href="/targeting/mine/"' in client_for(hand_made.alice).get("/targeting/mine/").content.decode()
