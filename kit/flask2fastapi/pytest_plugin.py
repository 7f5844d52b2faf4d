"""A pytest plugin: run each test against the Flask app and its FastAPI port.

Installed with the kit (entry point `pytest11`). Name the two apps in your pytest
configuration:

```toml
[tool.pytest.ini_options]
flask2fastapi_flask = "myapp:create_app"
flask2fastapi_fastapi = "myapp_fastapi.main:app"
```

Then a test asking for `parity_client` runs twice, as `test_x[flask]` and `test_x[fastapi]`,
each time with an `httpx2.Client` bound to that app in-process (redirects not followed, a
500 answered rather than raised, the FastAPI lifespan run). `parity_framework` says which
one, for the places they differ on purpose:

```python
def test_unknown_item(parity_client, parity_framework):
    r = parity_client.get("/api/items/abc")
    assert r.status_code == {"flask": 404, "fastapi": 422}[parity_framework]
```

A factory is called for every test, so each test gets a fresh app; a module-level app is
imported once and shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from flask2fastapi.apps import FRAMEWORKS, client_for, import_app

if TYPE_CHECKING:  # loaded by every pytest run where the kit is installed, extra or not
    import httpx2


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("flask2fastapi_flask", "import path of the Flask app (module:app)")
    parser.addini("flask2fastapi_fastapi", "import path of the FastAPI app (module:app)")


@pytest.fixture(params=FRAMEWORKS)
def parity_framework(request: pytest.FixtureRequest) -> str:
    """`"flask"` or `"fastapi"`; the test id carries it in brackets."""
    return request.param


@pytest.fixture
def parity_app(request: pytest.FixtureRequest, parity_framework: str) -> Any:
    """The app of that framework, from the `flask2fastapi_<framework>` ini option."""
    spec = request.config.getini(f"flask2fastapi_{parity_framework}")
    if not spec:
        raise pytest.UsageError(f"set flask2fastapi_{parity_framework} in your pytest config")
    return import_app(spec, request.config.rootpath)


@pytest.fixture
def parity_client(parity_framework: str, parity_app: Any) -> Iterator[httpx2.Client]:
    """An HTTP client bound to `parity_app` in-process."""
    with client_for(parity_framework, parity_app) as client:
        yield client
