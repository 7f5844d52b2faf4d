"""starlette-compress: zstd, Brotli and gzip, as Flask-Compress offers them.

Run it with: fastapi dev fastapi_app.py
"""

import gzip

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette_compress import CompressMiddleware

app = FastAPI()
# Starlette's own GZipMiddleware offers gzip only; this one adds zstd and Brotli. It
# prefers zstd, then br, then gzip among what the client accepts, whatever the q-values.
app.add_middleware(CompressMiddleware, minimum_size=500)

REPORT = "All 40 parcels left the warehouse on time. " * 15  # 660 bytes of text
PNG = b"\x89PNG\r\n\x1a\n" + bytes(600)


@app.get("/report")
def report():
    return {"report": REPORT}


@app.get("/small")
def small():
    return {"status": "ok"}


@app.get("/logo.png")
def logo():
    return Response(PNG, media_type="image/png")


@app.get("/archive")
def archive():
    body = gzip.compress(("line of a log file\n" * 100).encode())
    return Response(body, media_type="text/plain", headers={"Content-Encoding": "gzip"})


@app.get("/missing")
def missing():
    # CompressMiddleware compresses any status, this 404 too.
    return JSONResponse({"error": "not found", "report": REPORT}, status_code=404)


@app.get("/export")
def export():
    def rows():
        for n in range(50):
            yield f"{n},shipped,left the warehouse\n"

    return StreamingResponse(rows(), media_type="text/csv")  # text/csv is not on its list


@app.get("/feed")
def feed():
    def lines():
        for n in range(50):
            yield f"event {n}: left the warehouse\n"

    return StreamingResponse(lines(), media_type="text/plain")  # compressed, gzip too
