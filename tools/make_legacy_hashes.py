"""Write snippets/password-hashes/legacy_users.json: hashes as a Flask app stored them.

`python tools/make_legacy_hashes.py` (in the tests' environment, which has Flask-Bcrypt
and Werkzeug). Each hash is made by the library that made it in the Flask app, with its
default cost, from the demo password the topic's tests and page use; one entry is
deliberately malformed. The password-hashes topic's apps load the file when
LEGACY_USERS_FILE names it, and its tests check that every entry is what it claims to be.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask_bcrypt import Bcrypt
from werkzeug.security import generate_password_hash

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 - the published demo password
OUT = Path(__file__).resolve().parent.parent / "snippets" / "password-hashes" / "legacy_users.json"


def main() -> None:
    users = {
        "alice": Bcrypt().generate_password_hash(DEMO_PASSWORD).decode(),  # $2b$12$...
        "bob": generate_password_hash(DEMO_PASSWORD),  # scrypt:32768:8:1$...
        "carol": generate_password_hash(DEMO_PASSWORD, method="pbkdf2"),  # pbkdf2:sha256:...
        "mallory": "not-a-hash",
    }
    OUT.write_text(json.dumps(users, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
