# syntax=docker/dockerfile:1
# Every idpro service, from the repository root; SERVICE names it, PORT is its HTTP port:
#
#   docker build --build-arg SERVICE=intake --build-arg PORT=8001 -t idpro/intake .
#
# Only contracts, eventing and that service go in; the lockfile pins every dependency.

# python:3.11.16-slim-trixie, pinned by the digest of its multi-platform index (amd64, arm64, …)
# as docker-library/repo-info lists it; a rebuild of the tag gets a new digest, so bump both together.
ARG PYTHON_IMAGE=python:3.11.16-slim-trixie@sha256:be1575ed968de893bd54f4c56315ff7c4736ce522c1bca08fd521731aafc0d76

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "--build-arg SERVICE=<name> is required" >&2; exit 1; }
# uv from PyPI, the same release the Makefile runs, pinned by the hash of each platform's wheel.
RUN echo "uv==0.13.9 --hash=sha256:d7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19 --hash=sha256:5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe" > /tmp/uv.txt \
 && pip install --no-cache-dir --disable-pip-version-check --only-binary=:all: --require-hashes -r /tmp/uv.txt
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Dependencies first (a layer that changes only with the lockfile), then our own packages.
COPY pyproject.toml uv.lock ./
COPY contracts/pyproject.toml contracts/
COPY eventing/pyproject.toml eventing/
COPY services/${SERVICE}/pyproject.toml services/${SERVICE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --no-install-workspace --package "idpro-$SERVICE"
COPY contracts/src contracts/src
COPY eventing/src eventing/src
COPY services/${SERVICE} services/${SERVICE}
# --no-editable: the venv holds real copies, so the runtime image needs nothing from /src.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "idpro-$SERVICE"
# The migrations (`alembic -c /app/alembic.ini upgrade head`), for a service that has a database;
# `idpro-service` is the one command the runtime stage starts, whatever the service.
RUN mkdir -p /out \
 && if [ -f "services/$SERVICE/alembic.ini" ]; then \
      cp -r "services/$SERVICE/alembic.ini" "services/$SERVICE/migrations" /out/; fi \
 && ln -s "idpro-$SERVICE" /app/.venv/bin/idpro-service \
 && test -x "/app/.venv/bin/idpro-$SERVICE"

FROM ${PYTHON_IMAGE}
ARG SERVICE
ARG PORT=8000
# zoneinfo needs the system time zones (Europe/Brussels): the pinned slim image has them; fail the
# build rather than the first date conversion if a bump ever drops them.
RUN test -f /usr/share/zoneinfo/Europe/Brussels
# intake reads the machine-readable zone of scans with Debian's tesseract-ocr (a child process).
# Not pinned to a version: the base image is pinned by digest, and this takes the release's
# current (security-fixed) tesseract; the MRZ tests and bench run against that one.
# hadolint ignore=DL3008
RUN if [ "$SERVICE" = intake ]; then apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/*; fi
RUN groupadd --system --gid 10001 idpro \
 && useradd --system --uid 10001 --gid idpro --home-dir /app --no-create-home idpro \
 && mkdir -p /keys/private /keys/public && chown -R idpro:idpro /keys
WORKDIR /app
# Code stays root-owned (read-only to the service); /keys is where the compose key volumes mount.
COPY --from=build /app/.venv /app/.venv
COPY --from=build /out/ /app/
# Settings are read case-insensitively, so `intake_HTTP_HOST` is INTAKE_HTTP_HOST: in a container the
# service listens on every interface. Its port stays the service's own default (config.py).
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    IDPRO_SERVICE=${SERVICE} IDPRO_HTTP_PORT=${PORT} \
    ${SERVICE}_HTTP_HOST=0.0.0.0
# Numeric, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get(os.environ['IDPRO_SERVICE'].upper() + '_HTTP_PORT', os.environ['IDPRO_HTTP_PORT']); urllib.request.urlopen(f'http://127.0.0.1:{port}/health', timeout=4)"]
CMD ["idpro-service"]
