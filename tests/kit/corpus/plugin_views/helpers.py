def register_view(bp_or_app, routes, view_func, *args, **kwargs):
    """One view under several rules."""
    for rule in routes:
        bp_or_app.add_url_rule(rule, view_func=view_func, *args, **kwargs)  # noqa: B026 - the shape met in the wild
