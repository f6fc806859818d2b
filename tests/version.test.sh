#!/usr/bin/env bash
# kiosk --version says where the kiosk came from: the package's version for a
# package build (debian/rules passes KIOSK_PACKAGE_VERSION), else the project
# version and the commit of the checkout. Checks the built kiosk against its
# build's CMakeCache.txt and the checkout, then cmake/Version.cmake itself on
# a package version, a folder that is no checkout, and a clean and a changed
# throwaway repository.
#
#   bash tests/version.test.sh <path-to-kiosk> <source-dir>
set -uo pipefail

KIOSK=${1:?usage: version.test.sh <path-to-kiosk> <source-dir>}
SRC=${2:?usage: version.test.sh <path-to-kiosk> <source-dir>}
BUILD=$(dirname "$(realpath "$KIOSK")")

passed=0
failed=0
check() { # NAME GOT WANTED
    if [[ $2 == "$3" ]]; then passed=$((passed + 1)); printf 'ok   %s\n' "$1"; else
        failed=$((failed + 1)); printf 'FAIL %s: got "%s", expected "%s"\n' "$1" "$2" "$3"; fi
}
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

project=$(cache CMAKE_PROJECT_VERSION)
package=$(cache KIOSK_PACKAGE_VERSION)
got=$("$KIOSK" --version)
if [[ -n $package ]]; then
    check "kiosk --version of a package build" "$got" "kiosk $package"
elif top=$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null) &&
    [[ $(realpath "$top") == $(realpath "$SRC") ]]; then
    commit=$(git -C "$SRC" rev-parse --short=7 HEAD)
    # The build may predate uncommitted edits, or follow them: either suffix.
    check "kiosk --version of a checkout build" "${got/-dirty)/)}" "kiosk $project (git $commit)"
else
    check "kiosk --version of a build outside git" "$got" "kiosk $project"
fi

version_h() { # SRC [PACKAGE_VERSION]
    cmake -DOUT="$TMP/v.h" -DVERSION=9.8.7 -DPACKAGE_VERSION="${2:-}" -DSRC="$1" \
        -P "$SRC/cmake/Version.cmake" && sed -n 's/^#define KIOSK_VERSION "\(.*\)"$/\1/p' "$TMP/v.h"
}
mkdir -p "$TMP/plain" "$TMP/repo/sub"
check "Version.cmake: a package version is used as it is" "$(version_h "$TMP/repo" 9.8.7-2)" "9.8.7-2"
check "Version.cmake: a folder that is no checkout" "$(version_h "$TMP/plain")" "9.8.7"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
git -C "$TMP/repo" init -q && echo a >"$TMP/repo/f" && git -C "$TMP/repo" add f &&
    git -C "$TMP/repo" commit -qm one
commit=$(git -C "$TMP/repo" rev-parse --short=7 HEAD)
check "Version.cmake: a clean checkout" "$(version_h "$TMP/repo")" "9.8.7 (git $commit)"
check "Version.cmake: a folder inside someone else's checkout" "$(version_h "$TMP/repo/sub")" "9.8.7"
echo b >"$TMP/repo/f"
check "Version.cmake: a changed checkout" "$(version_h "$TMP/repo")" "9.8.7 (git $commit-dirty)"

echo "version: $passed passed, $failed failed"
((failed == 0))
