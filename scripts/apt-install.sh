#!/usr/bin/env bash
# Install Debian packages for the set-up scripts (ensure-*.sh): as root, or through
# password-less sudo; otherwise say which command to run, and fail.
# Usage: apt-install.sh WHAT PACKAGE...   (WHAT names the need in messages)
set -euo pipefail
what="$1"
shift
echo "$what not found: installing the Debian package(s) $*" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "error: cannot install $what without root; run: sudo apt-get install -y $*" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
