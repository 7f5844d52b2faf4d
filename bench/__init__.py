"""The benchmark behind the performance page: `nox -s bench` (`-- --quick` for a short run).

`bench.run` starts each app under its production server on 127.0.0.1, drives it with wrk
and times the guide's own pipeline; `bench.report` turns the results into the table and
chart that the page shows, so that no number on the page is typed by hand.
"""
