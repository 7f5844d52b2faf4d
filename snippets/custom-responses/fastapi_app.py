"""HTML, text, other media types and files in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from pathlib import Path

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse

FILES = Path(__file__).parent / "files"

app = FastAPI()


# --8<-- [start:text]
@app.get("/page", response_class=HTMLResponse)  # without it, a str is a JSON string
def page():
    return "<h1>Hello</h1>"


@app.get("/ping")
def ping():
    return PlainTextResponse("pong")


@app.get("/export.csv")
def export_csv():
    return Response("id,name\n1,apple\n", media_type="text/csv")


# --8<-- [end:text]


# --8<-- [start:files]
@app.get("/report")
def report():
    # filename= sets Content-Disposition: attachment.
    return FileResponse(FILES / "report.txt", filename="report.txt")


@app.get("/files/{name}")
def files(name: str):
    try:  # a NUL byte raises ValueError, a name over 255 bytes OSError
        path = (FILES / name).resolve()
        found = path.is_relative_to(FILES.resolve()) and path.is_file()  # no "../" tricks
    except (OSError, ValueError):
        found = False
    if not found:
        # FileResponse does not check first: a missing file would end in a 500.
        raise HTTPException(status_code=404, detail="File not found")
    return FileResponse(path)


# --8<-- [end:files]
