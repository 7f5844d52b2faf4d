"""Request headers and cookies in Flask. Run it with: flask --app flask_app run"""

from flask import Flask, make_response, request

app = Flask(__name__)


# --8<-- [start:headers]
@app.get("/items")
def read_items():
    token = request.headers.get("X-Token")  # case-insensitive lookup
    if token is None:
        # Flask does not check required headers: the 400 is ours to write.
        return {"detail": "Missing X-Token header"}, 400
    user_agent = request.headers.get("User-Agent")
    return {"x_token": token, "user_agent": user_agent}


@app.get("/tags")
def read_tags():
    # WSGI servers join repeated headers into one "a,b" value: split it back.
    joined = request.headers.get("X-Tag", "")
    return {"x_tag": [tag.strip() for tag in joined.split(",") if tag.strip()]}


# --8<-- [end:headers]


# --8<-- [start:cookies]
@app.get("/me")
def me():
    return {"session_id": request.cookies.get("session_id")}


@app.post("/login")
def login():
    response = make_response({"logged_in": True})
    response.set_cookie("session_id", "demo-session", httponly=True, samesite="Lax")
    return response


# --8<-- [end:cookies]
