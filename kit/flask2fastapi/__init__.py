"""flask2fastapi: port a Flask app to FastAPI with the tested migration guide at hand.

* `flask2fastapi scan APP_OR_DIR`: a migration plan (routes, Flask API in use, extensions,
  an ordered checklist), each item linked to the guide page that explains it.
* `flask2fastapi parity --flask IMPORT --fastapi IMPORT --requests FILE`: the same requests
  to both apps, and the differences in their answers, known ones explained.
"""

__version__ = "0.1.0"
