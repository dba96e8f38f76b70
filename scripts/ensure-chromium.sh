#!/usr/bin/env bash
# Make sure Debian's chromium is installed: the browser tests drive it through Playwright
# (executable_path=/usr/bin/chromium) and never download a browser of their own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
"$(dirname "$0")/apt-install.sh" chromium chromium fonts-dejavu-core
test -x /usr/bin/chromium
