#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
#   postgresql  - a real PostgreSQL server (tests start throw-away clusters with initdb)
#   chromium    - headless browser for the end-to-end and accessibility tests
#   libpango    - text layout for WeasyPrint (the booklet PDF), also needed to run the app
#   fonts-*     - fonts, so pages and screenshots render text with real glyphs
# Idempotent and a fast no-op when everything is installed. Needs root, or sudo.
set -euo pipefail

PACKAGES=(postgresql chromium fonts-liberation fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0)

die() { echo "install_system_deps: $*" >&2; exit 1; }

command -v dpkg-query >/dev/null \
  || die "this script is for Debian-like systems (dpkg/apt); install by hand: ${PACKAGES[*]}"

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "System packages present: ${PACKAGES[*]}"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null; then
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  die "missing packages (${missing[*]}) and not root, and sudo is not available; install them as root: apt-get install ${missing[*]}"
fi

echo "Installing missing system packages: ${missing[*]}"
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
