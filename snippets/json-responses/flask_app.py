"""JSON responses in Flask. Run it with: flask --app flask_app run"""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)

# Keys deliberately not in alphabetical order.
ORDER = {
    "id": UUID("12345678-1234-5678-1234-567812345678"),
    "customer": "Zoë",
    "total": Decimal("9.90"),
    "placed_at": datetime(2015, 10, 21, 7, 28, tzinfo=UTC),
}


@app.get("/order")
def read_order():
    # jsonify(...) and returning the dict are the same: both use app.json, the JSON
    # provider, which sorts keys, escapes non-ASCII and sends dates as HTTP dates.
    return jsonify(ORDER)


@app.get("/orders")
def list_orders():
    return [ORDER]  # a list at the top level is JSON too (Flask >= 2.2)


@app.get("/orders/http-dates")
def list_orders_with_http_dates():
    return [ORDER]  # Flask's default provider already writes HTTP dates


class FastAPILikeJSONProvider(DefaultJSONProvider):
    """Opt in with `app.json = FastAPILikeJSONProvider(app)`."""

    sort_keys = False  # keep insertion order
    ensure_ascii = False  # send "ë" as UTF-8, not as \u00eb

    @staticmethod
    def default(o):
        if isinstance(o, date):  # datetime is a subclass of date
            return o.isoformat()  # ISO 8601 instead of an HTTP date
        return DefaultJSONProvider.default(o)
