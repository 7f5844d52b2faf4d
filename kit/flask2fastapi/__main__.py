"""`python -m flask2fastapi`: the same as the `flask2fastapi` command."""

import sys

from flask2fastapi.cli import console

sys.exit(console())
