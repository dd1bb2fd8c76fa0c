"""Production settings must refuse to start unsafely. Each case imports the settings in a
fresh interpreter, because settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"} and not k.startswith("BUURTKRACHT_")
    }
    clean.update(env, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE=settings_module)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


def test_production_refuses_without_secret_key() -> None:
    result = load("buurtkracht.conf.production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_debug() -> None:
    result = load("buurtkracht.conf.production", SECRET_KEY="x" * 50, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG is on under production settings" in result.stderr


ANCHOR_KEY = "a" * 48


def test_production_starts_with_key_and_without_debug(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY=ANCHOR_KEY,
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_base_without_any_environment_behaves_as_production() -> None:
    result = load("buurtkracht.conf.base")
    assert "SECRET_KEY is not set" in result.stderr


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.dev",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


@pytest.mark.parametrize("module", ["buurtkracht.conf.dev", "buurtkracht.conf.test"])
def test_development_settings_start_without_secrets(module: str, tmp_path: Path) -> None:
    result = load(module, BUURTKRACHT_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_switch_off_two_factor(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_REQUIRE_TWO_FACTOR="0",
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "Two-factor login is switched off" in result.stderr


@pytest.mark.parametrize("name", ["Production", "prod", "acceptatie", ""])
def test_any_unknown_environment_is_treated_as_production(name: str, tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.base", BUURTKRACHT_ENVIRONMENT=name, BUURTKRACHT_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


# The audit anchor key (audit.anchors): outside the database, and not the SECRET_KEY.


def test_production_refuses_without_an_audit_anchor_key(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production", SECRET_KEY="x" * 50, BUURTKRACHT_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "The audit anchor key is not set" in result.stderr


def test_production_refuses_the_secret_key_as_anchor_key(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY="x" * 50,
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "The audit anchor key equals SECRET_KEY" in result.stderr


def test_production_refuses_a_short_anchor_key(tmp_path: Path) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY="kort",
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "shorter than 32 characters" in result.stderr


def test_production_reads_the_anchor_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "anchor.key"
    key_file.write_text(ANCHOR_KEY + "\n", encoding="utf-8")
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY_FILE=str(key_file),
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    missing = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY_FILE=str(tmp_path / "nowhere.key"),
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert missing.returncode != 0
    assert "cannot be read" in missing.stderr


def test_a_trusted_proxy_that_is_no_address_is_refused(tmp_path: Path) -> None:
    """A typo in the proxy list would silently make every visitor share one address."""
    result = load(
        "buurtkracht.conf.test",
        BUURTKRACHT_TRUSTED_PROXIES="10.0.0.5,proxy.example",
        BUURTKRACHT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "BUURTKRACHT_TRUSTED_PROXIES holds 'proxy.example'" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BUURTKRACHT_BRP_SYNTHETIC": "1"}, "BUURTKRACHT_BRP_SYNTHETIC is on under production"),
        (
            {"BUURTKRACHT_BRP_API_URL": "http://brp.example.nl/api/brp"},
            "must start with https:// in production",
        ),
        ({"BUURTKRACHT_BRP_API_URL": "brp.example.nl"}, "is not a web address"),
        ({"BUURTKRACHT_BRP_API_KEY_FILE": "/nowhere/brp.key"}, "cannot be read"),
    ],
)
def test_production_refuses_an_unsafe_brp_connection(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = load(
        "buurtkracht.conf.production",
        SECRET_KEY="x" * 50,
        BUURTKRACHT_AUDIT_ANCHOR_KEY=ANCHOR_KEY,
        BUURTKRACHT_DATA_DIR=str(tmp_path),
        **env,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_the_demo_looks_in_the_synthetic_register(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.BRP_SYNTHETIC, repr(s.BRP_API_URL))"
    dev = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "buurtkracht.conf.dev",
            "BUURTKRACHT_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert dev.stdout.split() == ["True", "''"], dev.stderr
