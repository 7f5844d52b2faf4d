"""A record that the whole test suite passed on one exact tree, so `deploy` need not rerun it.

`nox -s tests` (the full run, no arguments) writes a stamp named by `tree_digest()` after it
passes; `nox -s deploy` runs the suite only when no stamp matches the tree it is about to
publish. The digest covers every file git would commit (tracked and new, not ignored: the
same set the deploy check copies), byte for byte, and the Python version, so any change to a
snippet, a test, a page or the lock (requirements.txt) means no stamp and a full run. A fresh
machine (the Deploy workflow's runner) has no stamps: there `deploy` always runs the suite.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from pathlib import Path

from guidekit.topics import ROOT


def committable_files(root: Path = ROOT) -> list[str]:
    """Paths (relative, sorted) of what git would commit: tracked and new files, not ignored,
    and not deleted from the working tree. Raises `subprocess.CalledProcessError` outside git."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return sorted({name for name in listed.split("\0") if name and (root / name).is_file()})


def tree_digest(root: Path = ROOT) -> str:
    """SHA-256 (hex) of the committable files' names and bytes, and the Python version."""
    digest = hashlib.sha256(platform.python_version().encode())
    for name in committable_files(root):
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update(hashlib.sha256((root / name).read_bytes()).digest())
    return digest.hexdigest()


def stamp_path(envdir: Path, root: Path = ROOT) -> Path:
    """Where the stamp for this tree lives: `<nox envdir>/passed/<digest>`."""
    return envdir / "passed" / tree_digest(root)
