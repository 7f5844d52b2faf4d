# The Flask app under gunicorn. Build from this folder:
#   docker build -f flask.Dockerfile -t flask-app .
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN pip install --no-cache-dir "flask==3.1.*" "gunicorn==27.*"
COPY flask_app.py gunicorn_flask.conf.py ./
# Processes per container; with one container per core, 1 or 2 is common.
ENV WEB_CONCURRENCY=2
USER nobody
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn_flask.conf.py"]
