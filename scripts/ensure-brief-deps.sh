#!/usr/bin/env bash
# Make sure what the PDF brief and its tests need from Debian is installed: pango (which
# WeasyPrint loads), a font with full Latin coverage, and poppler-utils (pdftoppm,
# pdftotext, pdfinfo), which the tests use to read the PDF back.
set -euo pipefail
have_pango() { /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0'; }
if have_pango && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi dejavu; then
  exit 0
fi
echo "installing pango, fonts and poppler-utils for the PDF brief" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "error: cannot install without root; run:" \
    "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
  poppler-utils >/dev/null
command -v pdftoppm >/dev/null
