"""The OpenID Connect providers are read from the environment (conf/base.py), each in a
fresh interpreter as settings are read once per process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_settings_safety import ANCHOR_KEY, ROOT, load


def test_production_refuses_a_provider_endpoint_without_tls(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY=ANCHOR_KEY,
        BUURTKRACHT_DATA_DIR=str(tmp_path),
        BUURTKRACHT_OIDC_STAFF_TOKEN_ENDPOINT="http://sso.gemeente.example/token",
    )
    assert result.returncode != 0
    assert "BUURTKRACHT_OIDC_STAFF_TOKEN_ENDPOINT must start with https://" in result.stderr


def test_the_environment_fills_both_providers(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    env = {
        "BUURTKRACHT_DATA_DIR": str(tmp_path),
        "BUURTKRACHT_OIDC_RESIDENT_CLIENT_SECRET_FILE": str(secret),
        "BUURTKRACHT_OIDC_RESIDENT_BSN_CLAIM": "nl.bsn",
        "BUURTKRACHT_OIDC_STAFF_MFA_AMR": "mfa, http://schemas.microsoft.com/claims/multipleauthn",
        "BUURTKRACHT_OIDC_STAFF_MATCH_FIELD": "username",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OIDC_RESIDENT['CLIENT_SECRET'], s.OIDC_RESIDENT['BSN_CLAIM'], "
        "'|'.join(s.OIDC_STAFF['MFA_AMR']), s.OIDC_STAFF['MATCH_FIELD'], "
        "s.OIDC_STAFF['USE_PKCE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **env,
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "buurtkracht.conf.test",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "from-a-file",
        "nl.bsn",
        "mfa|http://schemas.microsoft.com/claims/multipleauthn",
        "username",
        "True",
    ]
