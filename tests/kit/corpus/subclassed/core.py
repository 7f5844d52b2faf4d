from flask import Blueprint, Flask


class ShopApp(Flask):
    """The app with its own JSON settings."""


class ShopBlueprint(Blueprint):
    pass
