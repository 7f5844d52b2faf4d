from flask import Blueprint

reports = Blueprint("reports", __name__)


@reports.get("/<uuid:report_id>")
def report(report_id):
    return {"id": str(report_id)}
