"""A FastAPI app with a Typer CLI beside it.

Run the web app with: fastapi dev fastapi_app.py
Run a command with:   typer fastapi_app.py --app cli run add-user alice --admin
"""

from typing import Annotated

import typer
from fastapi import FastAPI, Request


# --8<-- [start:service]
class UserStore:
    """The service both the web app and the CLI use (a database in a real app)."""

    def __init__(self) -> None:
        self.users: dict[str, bool] = {}  # name -> is admin

    def add(self, name: str, admin: bool = False) -> None:
        if name in self.users:
            raise ValueError(f"user {name!r} already exists")
        self.users[name] = admin


# --8<-- [end:service]


app = FastAPI()
app.state.users = UserStore()


@app.get("/users")
def list_users(request: Request):
    return {"users": request.app.state.users.users}


# --8<-- [start:cli]
# FastAPI has no CLI of its own for your commands: a Typer (or Click) app beside it
# imports the same services. There is no app context to enter; use the objects directly.
cli = typer.Typer()


@cli.callback()
def main() -> None:
    """Manage the app's users."""
    # Without a callback, a Typer app with a single command runs that command directly,
    # and `add-user` on the command line becomes an unexpected extra argument (exit 2).


@cli.command("add-user")
def add_user(
    name: str,
    admin: Annotated[bool, typer.Option(help="Give the user admin rights.")] = False,
) -> None:
    """Create a user."""
    try:
        app.state.users.add(name, admin)
    except ValueError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"Added {name} (admin: {admin})")


@cli.command("count-users")
def count_users() -> None:
    """Print how many users exist."""
    typer.echo(len(app.state.users.users))


# --8<-- [end:cli]
