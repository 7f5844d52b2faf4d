def register_crud(owner, view, endpoint, url, pk="id", pk_type="int"):
    """The pattern of Flask's docs: one view class, a list URL and an item URL."""
    view_func = view.as_view(endpoint)
    owner.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
    owner.add_url_rule(url, view_func=view_func, methods=["POST"])
    owner.add_url_rule(
        f"{url}<{pk_type}:{pk}>", view_func=view_func, methods=["GET", "PUT", "DELETE"]
    )


def register_page(app, slug):
    def page():
        return slug

    page.__name__ = f"page_{slug}"
    app.add_url_rule(f"/{slug}", endpoint=f"page_{slug}", view_func=page)
