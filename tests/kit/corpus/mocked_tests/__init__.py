"""A small app whose test suite is full of `mock.patch` decorators and test apps."""

import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/weather/<city>")
def weather(city):
    answer = requests.get(f"https://weather.invalid/{city}", timeout=5)
    return jsonify(answer.json())


@app.route("/cities", methods=["GET", "POST"])
def cities():
    return jsonify([])
