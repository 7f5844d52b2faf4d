"""File uploads in Flask. Run it with: flask --app flask_app run"""

import os
from pathlib import Path

from flask import Flask, request
from werkzeug.utils import secure_filename

# Where uploads go: UPLOAD_DIR if set, else a private folder beside the app (Flask's
# instance folder). Not the shared /tmp, where another local user can plant a symlink.
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR") or Path(__file__).parent / "instance" / "uploads")
MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MiB for the whole request body

app = Flask(__name__)
# --8<-- [start:limit]
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES  # larger bodies → 413
# --8<-- [end:limit]


# --8<-- [start:save]
@app.post("/upload")
def upload():
    file = request.files["file"]  # no such part → 400
    filename = secure_filename(file.filename or "")  # "../../x.txt" → "x.txt"
    if not filename:
        return {"detail": "Invalid filename"}, 400
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # only this user
    try:  # O_NOFOLLOW: a symlink at the target is refused (ELOOP), never followed
        fd = os.open(
            UPLOAD_DIR / filename, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
    except OSError:  # that symlink, or a name too long for the file system
        return {"detail": "Cannot save under this name"}, 400
    with os.fdopen(fd, "wb") as out:
        file.save(out)  # FileStorage.save streams the upload to disk
    target = UPLOAD_DIR / filename
    return {
        "filename": filename,
        "content_type": file.content_type,
        "size": target.stat().st_size,
    }


# --8<-- [end:save]


# --8<-- [start:read]
@app.post("/inspect")
def inspect():
    file = request.files["file"]
    data = file.read()  # bytes; fine for small files
    return {"filename": file.filename, "size": len(data), "text": data.decode(errors="replace")}


# --8<-- [end:read]
