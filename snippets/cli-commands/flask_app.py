"""A Flask app with its own CLI commands.

Run the web app with: flask --app flask_app run
Run a command with:   flask --app flask_app add-user alice --admin
"""

import click
from flask import Flask, current_app


class UserStore:
    """The service both the web app and the CLI use (a database in a real app)."""

    def __init__(self) -> None:
        self.users: dict[str, bool] = {}  # name -> is admin

    def add(self, name: str, admin: bool = False) -> None:
        if name in self.users:
            raise ValueError(f"user {name!r} already exists")
        self.users[name] = admin


app = Flask(__name__)
app.extensions["users"] = UserStore()


@app.get("/users")
def list_users():
    return {"users": current_app.extensions["users"].users}


# --8<-- [start:cli]
# Commands hang off the app's own Click group; `flask` runs them inside an app context,
# so current_app works here as it does in a view.
@app.cli.command("add-user")
@click.argument("name")
@click.option("--admin", is_flag=True, help="Give the user admin rights.")
def add_user(name: str, admin: bool) -> None:
    """Create a user."""
    try:
        current_app.extensions["users"].add(name, admin)
    except ValueError as error:
        raise click.ClickException(str(error)) from None  # exit code 1
    click.echo(f"Added {name} (admin: {admin})")


@app.cli.command("count-users")
def count_users() -> None:
    """Print how many users exist."""
    click.echo(len(current_app.extensions["users"].users))


# --8<-- [end:cli]
