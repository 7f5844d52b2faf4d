from register_api import app


def register_api(view, endpoint, url, pk="id", pk_type="int"):
    view_func = view.as_view(endpoint)
    app.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
    app.add_url_rule(url, view_func=view_func, methods=["POST"])
    app.add_url_rule(
        "%s<%s:%s>" % (url, pk_type, pk),  # noqa: UP031 - the shape Flask's docs show
        view_func=view_func,
        methods=["GET", "PUT", "DELETE"],
    )


def register_read_only(view, endpoint, url, pk="id", pk_type="string"):
    view_func = view.as_view(endpoint)
    app.add_url_rule(url, view_func=view_func, methods=["GET"])
    app.add_url_rule(
        "{}<{}:{}>".format(url, pk_type, pk),  # noqa: UP032 - a shape met in the wild
        view_func=view_func,
    )
    app.add_url_rule(url + "count", endpoint + "_count", view_func)
