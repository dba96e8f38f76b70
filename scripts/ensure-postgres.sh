#!/usr/bin/env bash
# Make sure PostgreSQL's server binaries are installed (Debian package `postgresql`).
# The tests start their own throwaway cluster on a free local port; nothing else is used.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  exit 0
fi
"$(dirname "$0")/apt-install.sh" "PostgreSQL server" postgresql
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
