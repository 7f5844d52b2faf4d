"""Flask-Compress: compress responses the client accepts, when they are worth it.

Run it with: flask --app flask_app run
"""

import gzip

from flask import Flask, Response
from flask_compress import Compress

app = Flask(__name__)
# The defaults, spelled out: what is compressed, from which size, and in which order the
# encodings are preferred when the client accepts several with the same q-value.
app.config["COMPRESS_MIN_SIZE"] = 500  # bytes; a smaller body is sent as it is
app.config["COMPRESS_ALGORITHM"] = ["zstd", "br", "gzip", "deflate"]
app.config["COMPRESS_ALGORITHM_STREAMING"] = ["zstd", "br", "deflate"]  # no gzip
Compress(app)  # an after_request hook; COMPRESS_MIMETYPES lists the types it compresses

REPORT = "All 40 parcels left the warehouse on time. " * 15  # 660 bytes of text
PNG = b"\x89PNG\r\n\x1a\n" + bytes(600)  # compressible bytes, but an image type


@app.get("/report")
def report():
    return {"report": REPORT}  # about 700 bytes of JSON: compressed


@app.get("/small")
def small():
    return {"status": "ok"}  # under COMPRESS_MIN_SIZE: sent as it is


@app.get("/logo.png")
def logo():
    return Response(PNG, mimetype="image/png")  # not in COMPRESS_MIMETYPES


@app.get("/archive")
def archive():
    # Already encoded by the view: the extension leaves it alone.
    body = gzip.compress(("line of a log file\n" * 100).encode())
    return Response(body, mimetype="text/plain", headers={"Content-Encoding": "gzip"})


@app.get("/missing")
def missing():
    return {"error": "not found", "report": REPORT}, 404  # not 2xx: never compressed


@app.get("/export")
def export():
    def rows():
        for n in range(50):
            yield f"{n},shipped,left the warehouse\n"

    return Response(rows(), mimetype="text/csv")  # streamed; text/csv is not on the list


@app.get("/feed")
def feed():
    def lines():
        for n in range(50):
            yield f"event {n}: left the warehouse\n"

    return Response(lines(), mimetype="text/plain")  # streamed, compressed chunk by chunk
