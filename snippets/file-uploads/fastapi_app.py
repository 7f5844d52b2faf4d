"""File uploads in FastAPI (needs python-multipart). Run it with: fastapi dev fastapi_app.py"""

import os
import shutil
import tempfile
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile
from werkzeug.utils import secure_filename  # Werkzeug works without Flask

# Where uploads go: UPLOAD_DIR if set, else a folder in the system's temp directory.
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR") or Path(tempfile.gettempdir()) / "uploads")
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
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    target = UPLOAD_DIR / filename
    with target.open("wb") as out:
        shutil.copyfileobj(file.file, out)  # file.file is the spooled temp file
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
