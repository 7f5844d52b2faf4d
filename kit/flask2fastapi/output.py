"""Writing reports: all at once or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename it
    over the target: a reader (or a crash) never sees half a report. Raises `OSError` if
    the folder does not exist or is not writable; the target is then left as it was.

    A symlink is followed (the file it points to gets the report; the link stays), and a
    target that exists but is not a regular file (`/dev/stdout`, a named pipe, a device)
    is written to directly: renaming over it would replace the device or pipe itself.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
