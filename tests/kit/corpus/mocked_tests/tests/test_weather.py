from unittest import mock

from mocked_tests import app


@mock.patch("mocked_tests.requests.get")
def test_weather(get):
    get.return_value.json.return_value = {"t": 20}
    assert app.test_client().get("/weather/oslo").json == {"t": 20}


@mock.patch.object(app, "logger")
@mock.patch("mocked_tests.requests.patch")
def test_patch(patched, logger):
    pass
