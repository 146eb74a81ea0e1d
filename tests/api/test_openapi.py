"""The OpenAPI spec: served at /api/openapi.json, committed as docs/openapi.json, and checked
by ``ctpat manage export_openapi --check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ctpat.api.management.commands.export_openapi import openapi_spec_text
from tests.api.spec_client import SPEC_PATH, committed_spec

AUTHENTICATED_STATUSES = {"401"}


def test_committed_spec_matches_the_live_api() -> None:
    call_command("export_openapi", check=SPEC_PATH)


def test_export_writes_sorted_json_with_a_trailing_newline(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    call_command("export_openapi", output=target)
    text = target.read_text(encoding="utf-8")
    assert text == openapi_spec_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_check_fails_with_a_clear_message_when_the_spec_changed(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    spec = json.loads(openapi_spec_text())
    spec["paths"].pop("/api/partners/me")
    stale.write_text(json.dumps(spec, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"differs from the live API spec; run `ctpat manage export_openapi"
    ):
        call_command("export_openapi", check=stale)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_openapi", check=tmp_path / "missing.json")


def test_spec_is_served_without_logging_in(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == committed_spec()["paths"].keys()


def test_every_operation_documents_its_errors() -> None:
    for path, operations in committed_spec()["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert statuses >= AUTHENTICATED_STATUSES, f"{method} {path}"
            if "{partner_id}" in path:
                assert {"403", "404", "422"} <= statuses, f"{method} {path}"
            assert operation["security"], f"{method} {path} needs authentication"
