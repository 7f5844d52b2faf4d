"""Logging in with OAuth2's password flow and JWT bearer tokens.

Run it with: fastapi dev fastapi_app.py
"""

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()
SECRET_KEY = secret("SECRET_KEY")  # signs the tokens

# Argon2id at OWASP's minimum cost (19 MiB, 2 passes), not pwdlib's heavier
# PasswordHash.recommended() (64 MiB, 3 passes): the demo hashes at every import.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))

DEMO_PASSWORD = secret("DEMO_PASSWORD")


@dataclass
class User:  # no mixin needed: nothing in FastAPI inspects the user object
    username: str
    full_name: str
    hashed_password: str


USERS = {"alice": User("alice", "Alice Example", password_hash.hash(DEMO_PASSWORD))}


def authenticate(username: str, password: str) -> User | None:
    user = USERS.get(username)
    if user is None:
        # Spend the same time on an unknown name as on a wrong password.
        password_hash.verify(password, USERS["alice"].hashed_password)
        return None
    return user if password_hash.verify(password, user.hashed_password) else None


ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRES = timedelta(minutes=30)


def create_access_token(username: str, expires_in: timedelta = ACCESS_TOKEN_EXPIRES) -> str:
    expires = datetime.now(UTC) + expires_in
    return jwt.encode({"sub": username, "exp": expires}, SECRET_KEY, algorithm=ALGORITHM)


# Reads "Authorization: Bearer <token>"; without one it answers 401 by itself.
# tokenUrl tells the /docs page where to log in.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="login")


@app.post("/login")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    # A plain `def`: the slow hash check runs in the thread pool, not on the event loop.
    user = authenticate(form.username, form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return {"access_token": create_access_token(user.username), "token_type": "bearer"}


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> User:
    """What @login_required and current_user do together, as a dependency."""
    invalid = HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        # Checks the signature and "exp"; refuses tokens that lack either claim.
        claims = jwt.decode(
            token, SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.InvalidTokenError:
        raise invalid from None
    user = USERS.get(claims["sub"])
    if user is None:  # the token names a user who no longer exists
        raise invalid
    return user


@app.get("/users/me")
def read_me(user: Annotated[User, Depends(get_current_user)]):
    return {"username": user.username, "full_name": user.full_name}


# --8<-- [end:protected]


@app.post("/logout")
def logout(user: Annotated[User, Depends(get_current_user)]):
    # Nothing to revoke: the server keeps no state. The client drops its token, and a copy
    # of it stays valid until "exp"; revoking needs a deny-list checked in get_current_user.
    return {"detail": "Logged out"}
