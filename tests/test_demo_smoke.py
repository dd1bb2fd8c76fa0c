"""Smoke test of the first README command's core: `manage.py demo` prepares a fresh
database, generates a (small) municipality, prints the accounts and serves; the login page
loads and a demo account logs in. It runs started just after midnight and just before
opening hours (tests/clock.py): the first run at 03:20 used to stop with a traceback."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.clock import clocked_command

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"The demo stopped with exit code {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"The demo did not answer at {url} within {seconds} s")


@pytest.mark.parametrize("clock", ["after-midnight", "before-opening"])
def test_demo_starts_and_a_demo_account_logs_in(tmp_path: Path, clock: str) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BUURTKRACHT_ENVIRONMENT", "DEBUG"}
    }
    env.update(
        BUURTKRACHT_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="buurtkracht.conf.dev",
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        clocked_command(clock, "demo", "--households", "60", "--port", str(port)),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health/", process)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{base}/accounts/login/") as response:
            page = response.read().decode()
        assert "Inloggen" in page
        assert "voorbeeld-theme" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": "wijkwerker",
                "password": "buurtkracht-demo",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
        )
        with opener.open(request) as response:
            home = response.read().decode()
            assert response.url == f"{base}/"
        assert "Mijn werk" in home
        assert "Team Oost" in home
        with opener.open(f"{base}/static/vendor/nl-design-system/utrecht-components.css") as css:
            assert css.status == 200
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert "wijkwerker" in output
    assert "buurtkracht-demo" in output
    assert f"http://127.0.0.1:{port}/" in output
    # The background worker started beside the server, and stopped with it.
    found = re.search(r"background worker \(process (\d+)\)", output)
    assert found, output
    assert _gone(int(found.group(1))), "the demo's worker outlived the demo"


def _gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False
