"""What the numbers came from: CPU, memory, OS, and the versions of what was measured."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

#: Versions recorded with the results, read from the installed packages.
PACKAGES = (
    "Flask",
    "Werkzeug",
    "FastAPI",
    "Starlette",
    "Pydantic",
    "pydantic-core",
    "gunicorn",
    "uvicorn",
    "uvicorn-worker",
    "uvloop",
    "httptools",
    "SQLAlchemy",
    "Flask-SQLAlchemy",
)


def machine() -> dict:
    """What the numbers came from: CPU, memory, OS, and every version that matters."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    wrk_version = subprocess.run(
        ["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False
    ).stdout
    wrk_match = re.search(r"wrk (\S+)", wrk_version)
    return {
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "cpu_count": os.cpu_count(),
        "memory_gib": round(int(mem.group(1)) / 2**20, 1) if mem else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in PACKAGES}
        | {"wrk": wrk_match.group(1) if wrk_match else "unknown"},
    }
