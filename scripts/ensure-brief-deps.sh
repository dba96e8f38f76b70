#!/usr/bin/env bash
# Make sure what the PDF brief and its tests need from Debian is installed: pango (which
# WeasyPrint loads), a font with full Latin coverage, and poppler-utils (pdftoppm,
# pdftotext, pdfinfo), which the tests use to read the PDF back.
set -euo pipefail
have_pango() { /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0'; }
if have_pango && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi dejavu; then
  exit 0
fi
"$(dirname "$0")/apt-install.sh" "pango, fonts and poppler-utils" \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
  poppler-utils
command -v pdftoppm >/dev/null
