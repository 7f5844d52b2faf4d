"""Machinery behind the guide: where topics live, how their apps are loaded and driven,
and how the responses shown on pages are generated.

Everything here is small on purpose. The test suite (`tests/conftest.py`) and the
generator (`python -m guidekit`) import the same functions, so a page can never show a
response that the tests did not see the app give.
"""
