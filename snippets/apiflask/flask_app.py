"""APIFlask: routes with input and output schemas, JSON errors, and an OpenAPI document.

Run it with: flask --app flask_app run   (Swagger UI at /docs, the document at /openapi.json)
"""

from apiflask import APIBlueprint, APIFlask, HTTPError, Schema, abort
from apiflask.fields import Integer, String
from apiflask.validators import Length, OneOf
from marshmallow import EXCLUDE

app = APIFlask(__name__, title="Pets API", version="1.0")
# One major release of Swagger UI, as FastAPI's /docs: APIFlask's default is the newest.
SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
app.config.update(
    SWAGGER_UI_CSS=SWAGGER_UI + "swagger-ui.css",
    SWAGGER_UI_BUNDLE_JS=SWAGGER_UI + "swagger-ui-bundle.js",
    SWAGGER_UI_STANDALONE_PRESET_JS=SWAGGER_UI + "swagger-ui-standalone-preset.js",
)
bp = APIBlueprint("pets", __name__, url_prefix="/pets")

CATEGORIES = ["cat", "dog"]


class PetIn(Schema):
    name = String(required=True, validate=Length(min=1, max=50))
    category = String(required=True, validate=OneOf(CATEGORIES))


class PetOut(Schema):
    id = Integer()
    name = String()
    category = String()


class PetQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # a query string often carries other parameters

    category = String(validate=OneOf(CATEGORIES))  # optional filter


class PetNotFound(HTTPError):  # an error class: status and message in one place
    status_code = 404
    message = "Pet not found"


@app.errorhandler(RecursionError)
def too_deep(error):
    # webargs parses the body with json.loads, which a body nested thousands deep sends past
    # the stack: answer the 400 of any other body that is not JSON, not a 500. APIFlask's
    # parser has no hook, so this handler is app-wide: leave any other recursion a 500.
    innermost = error.__traceback__
    while innermost.tb_next:
        innermost = innermost.tb_next
    if innermost.tb_frame.f_globals.get("__name__") not in {"json.decoder", "json.scanner"}:
        raise error
    return {"detail": {}, "message": "Bad Request"}, 400


PETS = {
    1: {"id": 1, "name": "Kitty", "category": "cat"},
    2: {"id": 2, "name": "Rex", "category": "dog"},
}


def find(pet_id: int) -> dict:
    if pet_id not in PETS:
        raise PetNotFound(detail={"pet_id": pet_id})
    return PETS[pet_id]


@bp.get("/")
@bp.input(PetQuery, location="query")  # passed as query_data
@bp.output(PetOut(many=True))
def list_pets(query_data: dict):
    category = query_data.get("category")
    return [pet for pet in PETS.values() if category in (None, pet["category"])]


@bp.post("/")
@bp.input(PetIn)  # location="json" by default, passed as json_data
@bp.output(PetOut, status_code=201)
@bp.doc(summary="Create a pet", responses={409: "Name taken"})  # 422: documented by itself
def create_pet(json_data: dict):
    if any(pet["name"] == json_data["name"] for pet in PETS.values()):
        abort(409, "Name taken", detail={"name": json_data["name"]})
    pet_id = max(PETS, default=0) + 1
    PETS[pet_id] = {"id": pet_id, **json_data}
    return PETS[pet_id]


@bp.get("/<int:pet_id>")
@bp.output(PetOut)  # 404 documented by itself: the path has a parameter
def get_pet(pet_id: int):
    return find(pet_id)


@bp.put("/<int:pet_id>")
@bp.input(PetIn)
@bp.output(PetOut)
def put_pet(pet_id: int, json_data: dict):
    find(pet_id)
    PETS[pet_id] = {"id": pet_id, **json_data}
    return PETS[pet_id]


@bp.delete("/<int:pet_id>")
@bp.output({}, status_code=204)
@bp.doc(summary="Delete a pet")
def delete_pet(pet_id: int):
    find(pet_id)
    del PETS[pet_id]
    return ""


app.register_blueprint(bp)
