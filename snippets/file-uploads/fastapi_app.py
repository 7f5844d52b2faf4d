"""File uploads in FastAPI (needs python-multipart). Run it with: fastapi dev fastapi_app.py"""

import os
import shutil
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile
from werkzeug.utils import secure_filename  # Werkzeug works without Flask

# Where uploads go: UPLOAD_DIR if set, else a private folder beside the app (Flask's
# instance folder). Not the shared /tmp, where another local user can plant a symlink.
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR") or Path(__file__).parent / "instance" / "uploads")
MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MiB for the whole request body

# --8<-- [start:limit]
# FastAPI ≥ 0.165: larger bodies → 413. Routers and routes accept max_body_size too.
app = FastAPI(max_body_size=MAX_UPLOAD_BYTES)
# --8<-- [end:limit]


# --8<-- [start:save]
@app.post("/upload")
def upload(file: UploadFile):  # no such part → 422
    # A plain `def` runs in a thread pool, so the blocking copy below is fine.
    filename = secure_filename(file.filename or "")  # "../../x.txt" → "x.txt"
    if not filename:
        raise HTTPException(status_code=400, detail="Invalid filename")
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # only this user
    try:  # O_NOFOLLOW: a symlink at the target is refused (ELOOP), never followed
        fd = os.open(
            UPLOAD_DIR / filename, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
    except OSError:  # that symlink, or a name too long for the file system
        raise HTTPException(status_code=400, detail="Cannot save under this name") from None
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(file.file, out)  # file.file is the spooled temp file
    target = UPLOAD_DIR / filename
    return {
        "filename": filename,
        "content_type": file.content_type,
        "size": target.stat().st_size,
    }


# --8<-- [end:save]


# --8<-- [start:read]
@app.post("/inspect")
async def inspect(file: UploadFile):
    data = await file.read()  # bytes; in `async def`, use the awaitable methods
    return {"filename": file.filename, "size": len(data), "text": data.decode(errors="replace")}


# --8<-- [end:read]
