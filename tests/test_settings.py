"""The settings module fails loudly on bad values and refuses the demo relaxations in production."""

import os
import subprocess
import sys

import pytest


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CTPAT_", "DATABASE_URL", "SECRET_KEY"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import ctpat.settings as s; print(s.DEMO_RELAX_2FA, s.DEBUG)"],
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_local_defaults_relax_the_second_factor_for_the_demo() -> None:
    result = load_settings()
    assert result.stdout.strip() == "True True"


def test_production_needs_a_secret_key() -> None:
    result = load_settings(CTPAT_ENV="production")
    assert "SECRET_KEY must be set" in result.stderr


def test_production_never_relaxes_the_second_factor() -> None:
    result = load_settings(CTPAT_ENV="production", SECRET_KEY="s3cret-" * 8, CTPAT_DEMO_RELAX_2FA="true")
    assert "cannot be on in production" in result.stderr
    ok = load_settings(CTPAT_ENV="production", SECRET_KEY="s3cret-" * 8)
    assert ok.stdout.strip() == "False False"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CTPAT_ENV", "staging", "CTPAT_ENV must be local, test or production"),
        ("CTPAT_EVIDENCE_MAX_BYTES", "ten", "CTPAT_EVIDENCE_MAX_BYTES must be a whole number"),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
    ],
)
def test_malformed_values_name_the_variable(name: str, value: str, message: str) -> None:
    assert message in load_settings(**{name: value}).stderr
