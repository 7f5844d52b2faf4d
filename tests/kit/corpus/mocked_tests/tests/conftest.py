import pytest
from flask import Flask


@pytest.fixture
def other_app():
    test_app = Flask("other")

    @test_app.route("/only-in-tests")
    def only():
        return "x"

    return test_app
