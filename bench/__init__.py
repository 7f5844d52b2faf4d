"""The benchmark behind the performance page: `nox -s bench` (`-- --quick` for a short run).

`bench.run` runs three jobs: `bench.load` starts each app under its production server on
127.0.0.1 and drives it with wrk, `bench.pipeline` times the guide's own tests and build,
`bench.machine` records what the numbers came from; `bench.report` turns the results into
the table and chart that the page shows, so that no number on the page is typed by hand.
"""

import os

from guidekit import topics

BENCH = topics.ROOT / "bench"
#: The environment of every server, wrk run and timed command.
ENV = {**os.environ, **topics.ENV}
