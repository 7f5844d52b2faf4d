"""migrations/env.py for Alembic without Flask: replace Flask-Migrate's env.py with this.

Flask-Migrate's env.py finds the engine and the metadata through `current_app`; this one
imports them from the app's module. The versions/ folder and alembic_version table stay.
Add `script_location = %(here)s` to migrations/alembic.ini, then:
    alembic -c migrations/alembic.ini revision --autogenerate -m "..."
    alembic -c migrations/alembic.ini upgrade head
"""

from alembic import context
from fastapi_app import Base, engine  # your models' module: engine and metadata

config = context.config
target_metadata = Base.metadata  # what autogenerate compares the database with


def process_revision_directives(context, revision, directives):
    # As Flask-Migrate does: `revision --autogenerate` with no change writes no empty file.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def run_migrations_offline() -> None:  # pragma: no cover - `alembic upgrade --sql`, not tested
    context.configure(url=engine.url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=process_revision_directives,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - see run_migrations_offline
    run_migrations_offline()
else:
    run_migrations_online()
