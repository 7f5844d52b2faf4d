# The FastAPI app under uvicorn, started by the fastapi CLI. Build from this folder:
#   docker build -f fastapi.Dockerfile -t fastapi-app .
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN pip install --no-cache-dir "fastapi[standard]==0.165.*"
COPY fastapi_app.py ./
# Processes per container (uvicorn reads it too); with one container per core, 1 or 2.
ENV WEB_CONCURRENCY=2
# The proxy in front of the container is not 127.0.0.1: list its address(es) here.
ENV FORWARDED_ALLOW_IPS=127.0.0.1
USER nobody
EXPOSE 8000
CMD ["fastapi", "run", "fastapi_app.py", "--port", "8000"]
