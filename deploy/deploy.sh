#!/usr/bin/env bash
# Deploy a release of Kỷ Cương with no downtime (docs/operations.md). Run as root on the application host:
#   deploy/deploy.sh /path/to/kycuong-checkout
# It installs the release beside the running one, migrates, switches the `current` link, then restarts the
# application servers ONE AT A TIME, waiting for each to answer /readyz before the next, so nginx always has a
# server to send to; the job consumers restart last (each finishes the task in hand).
set -euo pipefail
SRC=${1:?usage: deploy.sh CHECKOUT}
ROOT=${KYCUONG_ROOT:-/opt/kycuong}
ENV_FILE=${KYCUONG_ENV_FILE:-/etc/kycuong/kycuong.env}
PORTS=${KYCUONG_WEB_PORTS:-"8001 8002"}
CONSUMERS=${KYCUONG_CONSUMERS:-"1 2"}

release=$ROOT/releases/$(date +%Y%m%d%H%M%S)
mkdir -p "$release"
git -C "$SRC" archive HEAD | tar -x -C "$release"

# The same versions on every machine: the lock file, then the project without resolving again.
python3 -m venv "$release/.venv"
"$release/.venv/bin/pip" install -q --upgrade pip
"$release/.venv/bin/pip" install -q -r "$release/requirements/base.lock"
"$release/.venv/bin/pip" install -q --no-deps "$release"
# Front-end packages come from npm at build time (never a CDN, never committed).
(cd "$release" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build \
  && mkdir -p kycuong/static/vendor/govuk \
  && cp node_modules/htmx.org/dist/htmx.min.js node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js kycuong/static/vendor/ \
  && cp -r node_modules/govuk-frontend/dist/govuk/assets kycuong/static/vendor/govuk/)

manage() { (cd "$release" && set -a && . "$ENV_FILE" && set +a && runuser -u kycuong -- .venv/bin/python manage.py "$@"); }
"$release/.venv/bin/python" -m kycuong.i18n
manage check --deploy --fail-level ERROR
manage collectstatic --noinput -v 0
# Migrations are written to be compatible with the code still running (add first, remove a release later).
# They run as the role that owns the tables (docs/operations.md: the event table's triggers).
if [ -n "${KYCUONG_MIGRATE_DATABASE_URL:-$(sed -n 's/^KYCUONG_MIGRATE_DATABASE_URL=//p' "$ENV_FILE")}" ]; then
  (cd "$release" && set -a && . "$ENV_FILE" && set +a && DATABASE_URL=$KYCUONG_MIGRATE_DATABASE_URL \
    runuser -u kycuong -- .venv/bin/python manage.py migrate --noinput)
else
  manage migrate --noinput
fi

ln -sfn "$release" "$ROOT/current.new" && mv -T "$ROOT/current.new" "$ROOT/current"

for port in $PORTS; do
  systemctl restart "kycuong-web@$port"
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "kycuong-web@$port is not ready: stopping the rollout"; exit 1; }
done
for n in $CONSUMERS; do systemctl restart "kycuong-jobs@$n"; done
echo "deployed $release"
