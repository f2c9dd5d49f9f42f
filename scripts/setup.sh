#!/bin/sh
# Installs the Debian 12 packages landguard needs (when run as root; prints
# the apt-get line otherwise), then configures and builds into ./build.
# Usage: scripts/setup.sh [--sanitize]   (LG_BUILD_DIR overrides ./build)
set -eu
cd "$(dirname "$0")/.."
PKGS="cmake gcc make pkg-config libgdal-dev gdal-bin libproj-dev proj-bin libgeos-dev \
libsqlite3-dev sqlite3 libspatialite-dev spatialite-bin check libsubunit-dev \
libcairo2-dev libpango1.0-dev fonts-noto-cjk libxlsxwriter-dev libinih-dev nettle-dev \
poppler-utils valgrind postgresql postgresql-15-postgis-3 \
clang-14 libclang-rt-14-dev chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "setup: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "setup: missing Debian packages; run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
fi
BUILD=${LG_BUILD_DIR:-build}
EXTRA="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
if [ "${1:-}" = "--sanitize" ]; then
	BUILD=${LG_BUILD_DIR:-build-asan}
	EXTRA="-DLG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
fi
cmake -S . -B "$BUILD" $EXTRA >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
# The demo county's two big layers are generated, not committed: make them
# when missing or older than the generator (its output is deterministic, so
# the committed small layers come out byte-identical).
D=datasets/demo/xinjiang
if [ ! -f "$D/plan.gpkg" ] || [ ! -f "$D/survey.gpkg" ] ||
	[ "$BUILD/landguard-gen" -nt "$D/plan.gpkg" ]; then
	"$BUILD/landguard-gen" demo -o "$D" --quiet >&2
fi
echo "$BUILD"
