#!/usr/bin/env bash
# Install the Debian packages that Triển khai and its tests need, idempotently:
#   chromium, chromium-driver   headless browser for the browser tests (never downloaded by Playwright)
#   gettext                     msgfmt/msguniq for compiling the translation catalogues
#   fonts-dejavu-core           a font with Vietnamese glyphs for screenshots and rendered pages
#   libreoffice-writer-nogui    renders the issued documents (DOCX) to PDF, headless
#   fonts-liberation2           Liberation Serif: metric-compatible with Times New Roman, the font
#                               of Party documents, with Vietnamese glyphs (the PDF's typeface)
#   nginx, openssl              the production profile's web server (deploy/nginx), which a test
#                               checks with `nginx -t` and serves pages and downloads through
#   postgresql-NN-auto-failover, pg-auto-failover-cli, pgbouncer
#                               failover and pooling (deploy/postgresql), which the tests run on
#                               loopback: a monitor, a primary, a standby, a pooler per node
#   postgresql                  only when no PostgreSQL answers at 127.0.0.1:5432 (then started, trust
#                               auth from 127.0.0.1, so that scripts/test.sh can run its PostgreSQL pass)
# apt is skipped entirely when everything is already present. Run as root (or with sudo available).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# The PostgreSQL major of the server binaries (Debian 12: 15), for the failover extension.
PGMAJOR="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
PGMAJOR="${PGMAJOR:-15}"
PACKAGES=(chromium chromium-driver gettext fonts-dejavu-core libreoffice-writer-nogui fonts-liberation2
    nginx openssl "postgresql-$PGMAJOR-auto-failover" pg-auto-failover-cli pgbouncer)

pg_up() {
    command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 -t 3
}

want_pg=0
if [ -z "${TRIENKHAI_TEST_PG_URL:-}" ] && ! pg_up; then
    want_pg=1
    PACKAGES+=(postgresql)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-system-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # No service is started by a package's install script (nginx would take port 80): the tests
    # start their own nginx on free ports.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod +x /usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "install-system-deps: all system packages present"
fi

if [ "$want_pg" -eq 1 ]; then
    # A PostgreSQL cluster that is installed but stopped, or freshly installed: start it and let
    # the local test run connect as postgres from 127.0.0.1 without a password.
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$version" ]; then
        hba="/etc/postgresql/$version/main/pg_hba.conf"
        if ! $SUDO grep -qE '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" \
            && ! $SUDO grep -qE '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
            $SUDO sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
        fi
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
            || $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
        for _ in $(seq 1 30); do
            pg_up && break
            sleep 1
        done
    fi
    if pg_up; then
        echo "install-system-deps: PostgreSQL is accepting connections on 127.0.0.1:5432"
    else
        echo "install-system-deps: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
        exit 1
    fi
fi

test -x /usr/bin/chromium || { echo "install-system-deps: /usr/bin/chromium missing" >&2; exit 1; }
command -v soffice >/dev/null || { echo "install-system-deps: soffice (LibreOffice) missing" >&2; exit 1; }
command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "install-system-deps: nginx missing" >&2; exit 1; }
command -v pg_autoctl >/dev/null || { echo "install-system-deps: pg_autoctl missing" >&2; exit 1; }
