"""Scopes with dependencies and Security(). Run it with: fastapi dev fastapi_app.py

Authentication is kept to a minimum here: a demo map from bearer token to user.
The authentication page shows a real login.
"""

import os
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Response, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes
from pydantic import BaseModel


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()


@dataclass
class User:
    username: str
    scopes: list[str] = field(default_factory=list)


# Opaque tokens from the environment; a real app verifies a signed token.
USERS_BY_TOKEN = {
    secret("ALICE_TOKEN"): User("alice", ["items:read", "items:write"]),
    secret("BOB_TOKEN"): User("bob", ["items:read"]),
}
ITEMS = {1: "hammer", 2: "saw"}
PROFILES = {"alice": "", "bob": ""}  # username -> about_me

bearer = HTTPBearer()  # no or non-Bearer Authorization header: 401 before our code runs


def get_current_user(
    security_scopes: SecurityScopes,  # the scopes every Security(...) up the chain asked for
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
) -> User:
    """Refuse unknown tokens (401), then users lacking a scope (403)."""
    user = USERS_BY_TOKEN.get(credentials.credentials)
    if user is None:
        challenge = (
            f'Bearer scope="{security_scopes.scope_str}"' if security_scopes.scopes else "Bearer"
        )
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Could not validate credentials",
            headers={"WWW-Authenticate": challenge},
        )
    if not set(security_scopes.scopes) <= set(user.scopes):
        challenge = f'Bearer error="insufficient_scope", scope="{security_scopes.scope_str}"'
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Not enough permissions",
            headers={"WWW-Authenticate": challenge},
        )
    return user


@app.get("/users/me")
def read_me(user: Annotated[User, Depends(get_current_user)]):  # any known user
    return {"username": user.username, "scopes": user.scopes}


@app.get("/items")
def list_items(user: Annotated[User, Security(get_current_user, scopes=["items:read"])]):
    return ITEMS


# The user is not needed in the body: the dependency runs for its checks alone.
@app.delete(
    "/items/{item_id}",
    status_code=204,
    dependencies=[Security(get_current_user, scopes=["items:write"])],
)
def delete_item(item_id: int):
    ITEMS.pop(item_id, None)
    return Response(status_code=204)


# --8<-- [start:owner]
class Profile(BaseModel):
    about_me: str


def require_owner(username: str, user: Annotated[User, Depends(get_current_user)]) -> User:
    """403 for another user's profile. As a dependency it runs before the body is validated,
    so the 403 comes first, as it did in the Flask view (a malformed JSON body aside)."""
    if username != user.username:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Not your profile")
    return user


@app.put("/users/{username}", dependencies=[Depends(require_owner)])
def update_profile(username: str, profile: Profile):
    PROFILES[username] = profile.about_me
    return {"username": username, "about_me": profile.about_me}


# --8<-- [end:owner]
