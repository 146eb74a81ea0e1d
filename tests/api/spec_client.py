"""A test client that checks every response's status code is documented in the committed spec.

API clients build on ``docs/openapi.json``; an endpoint that answers a status the spec does not
list breaks them, so every request the API tests make is checked here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.test import Client

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@cache
def committed_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in committed_spec()["paths"]:
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template))
    return patterns


def documented_statuses(method: str, path: str) -> set[int]:
    """The status codes the committed spec lists for one request; fails for an undocumented path."""
    for pattern, template in _path_patterns():
        if pattern.match(path):
            operation = committed_spec()["paths"][template].get(method.lower())
            assert operation is not None, f"{method} {template} is not in docs/openapi.json"
            return {int(code) for code in operation["responses"]}
    raise AssertionError(f"{method} {path} matches no path in docs/openapi.json")


class SpecCheckedClient(Client):
    """``django.test.Client`` that asserts each API response's status is in the committed spec."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        path = request["PATH_INFO"]
        if path.startswith("/api/") and path != "/api/openapi.json":
            documented = documented_statuses(request["REQUEST_METHOD"], path)
            assert response.status_code in documented, (
                f"{request['REQUEST_METHOD']} {path} answered {response.status_code}, "
                f"which docs/openapi.json does not list ({sorted(documented)})"
            )
        return response
