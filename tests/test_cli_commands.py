"""cli-commands: management commands beside the web app (Flask's app.cli vs a Typer app).

Flask commands run through `app.test_cli_runner()`, the Typer app through
`typer.testing.CliRunner`; both give a Click `Result` (exit code, stdout, stderr).
"""

import functools

import pytest
from click.testing import Result
from typer.testing import CliRunner


# --8<-- [start:run]
def run(framework: str, snippet, *args: str) -> Result:
    if framework == "flask":
        return snippet.app.test_cli_runner().invoke(args=list(args))
    return CliRunner().invoke(snippet.cli, list(args))


def test_command_output_and_exit_code(framework, snippet):
    result = run(framework, snippet, "add-user", "alice", "--admin")
    assert result.exit_code == 0
    assert result.stdout == "Added alice (admin: True)\n"
    assert result.stderr == ""


# --8<-- [end:run]


def test_the_cli_and_the_web_app_share_the_service(framework, snippet, client):
    assert client.get("/users").json() == {"users": {}}
    run(framework, snippet, "add-user", "alice", "--admin")
    run(framework, snippet, "add-user", "bob")
    assert client.get("/users").json() == {"users": {"alice": True, "bob": False}}
    result = run(framework, snippet, "count-users")
    assert (result.exit_code, result.stdout) == (0, "2\n")


def test_a_failing_command_exits_1_with_a_message_on_stderr(framework, snippet):
    run(framework, snippet, "add-user", "alice")
    result = run(framework, snippet, "add-user", "alice")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: user 'alice' already exists\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add-user"],
            {"flask": "Missing argument 'NAME'.", "fastapi": "Missing argument 'name'."},
        ),
        (
            ["count-users", "x"],
            {
                "flask": "Got unexpected extra argument (x)",
                "fastapi": "Got unexpected extra argument(s) (x)",
            },
        ),
        (["nope"], {"flask": "No such command 'nope'.", "fastapi": "No such command 'nope'."}),
    ],
    ids=["missing-argument", "extra-argument", "unknown-command"],
)
def test_bad_arguments_exit_2_with_usage(framework, snippet, args, message):
    result = run(framework, snippet, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: ")
    assert message[framework] in result.stderr
    # Typer draws the error in a box (it uses rich when installed); Click prints "Error: ...".
    assert ("Error: " in result.stderr) == (framework == "flask")
    assert ("╭─ Error ─" in result.stderr) == (framework == "fastapi")


def test_typer_bool_options_come_with_a_negative_form(framework, snippet):
    result = run(framework, snippet, "add-user", "bob", "--no-admin")
    assert result.exit_code == {"flask": 2, "fastapi": 0}[framework]
    if framework == "flask":
        assert "No such option '--no-admin'" in result.stderr
    else:
        assert result.stdout == "Added bob (admin: False)\n"


def test_help_lists_the_commands(framework, snippet):
    result = run(framework, snippet, "--help")
    assert result.exit_code == 0
    assert "Create a user." in result.stdout  # docstrings become the help text
    assert "Print how many users exist." in result.stdout
    # Typer's help opens with the callback's docstring; Flask's group has none here.
    assert ("Manage the app's users." in result.stdout) == (framework == "fastapi")
    # Typer adds shell-completion options to the top-level command.
    assert ("--install-completion" in result.stdout) == (framework == "fastapi")


def one_command_cli(framework: str, snippet, *, callback: bool = True):
    """A CLI with the snippet's `add-user` as its only command (what many small apps have)."""
    if framework == "flask":
        from flask import Flask

        app = Flask(__name__)
        app.extensions["users"] = snippet.UserStore()
        app.cli.add_command(snippet.add_user)
        return lambda *args: app.test_cli_runner().invoke(args=list(args))
    import typer

    cli = typer.Typer()
    if callback:
        cli.callback()(snippet.main)
    cli.command("add-user")(snippet.add_user)
    return lambda *args: CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("commands", ["one", "many"])
def test_the_command_name_is_required_with_one_command_or_many(framework, snippet, commands):
    """With `@cli.callback()`, a Typer app stays a group of commands however many it has."""
    invoke = (
        one_command_cli(framework, snippet)
        if commands == "one"
        else functools.partial(run, framework, snippet)
    )
    result = invoke("add-user", "alice")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "Added alice (admin: False)\n",
        "",
    )
    result = invoke()  # no command: usage on stderr, exit 2 (Click lists the commands too)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Usage: ")
    assert ("Missing command." in result.stderr) == (framework == "fastapi")


@pytest.mark.only("fastapi", reason="a Flask command always hangs off the app's Click group")
def test_one_typer_command_without_a_callback_takes_no_command_name(framework, snippet):
    """The pitfall: Typer runs a lone command directly, so its name is an extra argument."""
    invoke = one_command_cli(framework, snippet, callback=False)
    result = invoke("add-user", "alice")
    assert result.exit_code == 2
    assert "Got unexpected extra argument(s) (alice)" in result.stderr
    result = invoke("add-user")  # worse: the command name is taken as the user's name
    assert (result.exit_code, result.stdout) == (0, "Added add-user (admin: False)\n")


def test_flask_shell_and_routes_have_no_fastapi_command(framework):
    """Every Flask app gets `flask shell` and `flask routes`; the `fastapi` command
    (fastapi-cli) serves an app and has neither."""
    import click

    if framework == "flask":
        from flask.cli import FlaskGroup

        group: click.Group = FlaskGroup()
    else:
        import typer
        from fastapi_cli.cli import app as fastapi_cli

        group = typer.main.get_command(fastapi_cli)
    names = set(group.list_commands(click.Context(group)))
    if framework == "flask":
        assert {"run", "shell", "routes"} <= names
    else:
        assert {"dev", "run"} <= names
        assert not names & {"shell", "routes"}
