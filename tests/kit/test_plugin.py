"""The pytest plugin: a reader's test runs against both apps, ids `[flask]` / `[fastapi]`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from .conftest import SAMPLE


def test_the_fixture_pair_runs_each_test_on_both_apps(tmp_path):
    for package in ("flask_app", "fastapi_app"):
        shutil.copytree(SAMPLE / package, tmp_path / package)
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent("""
        [tool.pytest.ini_options]
        flask2fastapi_flask = "flask_app:create_app"
        flask2fastapi_fastapi = "fastapi_app:create_app"
        """)
    )
    (tmp_path / "test_port.py").write_text(
        textwrap.dedent("""
        def test_items(parity_client):
            r = parity_client.get("/api/items?per_page=2")
            assert r.json()["items"][1] == {"id": 2, "name": "Item 2", "price": 3.0}

        def test_malformed_id(parity_client, parity_framework):
            r = parity_client.get("/api/items/abc")
            assert r.status_code == {"flask": 404, "fastapi": 422}[parity_framework]
        """)
    )
    env = {
        **os.environ,
        "SECRET_KEY": "test-only",
        "DEMO_PASSWORD": "demo",
        "INSECURE_COOKIES": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "no:randomly", "-rA"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for test_id in (
        "test_items[flask]", "test_items[fastapi]",
        "test_malformed_id[flask]", "test_malformed_id[fastapi]",
    ):  # fmt: skip
        assert f"PASSED test_port.py::{test_id}" in result.stdout
