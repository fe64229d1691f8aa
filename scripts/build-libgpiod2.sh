#!/usr/bin/env bash
# Builds libgpiod 2.x (Debian 13's source package) into a private prefix, so junctiond's GPIO
# backend can be built and tested against the API of Debian 13 and current Raspberry Pi OS on a
# Debian 12 machine, which ships only libgpiod 1.6 (docs/gpio.md).
#
#   bash scripts/build-libgpiod2.sh [PREFIX]     (default /opt/libgpiod2; prints PREFIX)
#
# Idempotent: a prefix that already holds this version is left as it is. The source comes from
# trixie's deb-src index through apt, with a private sources list and lists directory, so the
# machine's own apt configuration is not touched; the upstream tarball is checked against the
# hash below (Debian's only patch to it is for the docs, which are not built). The tarball ships
# its generated configure, so a C compiler and make are all it needs: no autotools.
set -euo pipefail

PREFIX="${1:-/opt/libgpiod2}"
VERSION=2.2.1
ORIG_SHA256=0e948049c309b87c220fb24ee0d605d7cd5b72f22376e608470903fffa2d4b18

PC="$PREFIX/lib/pkgconfig/libgpiod.pc"
if [[ -f "$PREFIX/lib/libgpiod.so.3" ]] && grep -qx "Version: $VERSION" "$PC" 2>/dev/null \
    && grep -qx 'Libs: -L${libdir} -l:libgpiod.so.3' "$PC"; then
    echo "$PREFIX"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/src"
cat >"$work/trixie.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
APT=(apt-get -qq -o Dir::Etc::SourceList="$work/trixie.sources" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root)
timeout 5m "${APT[@]}" update >&2
# Only the upstream tarball is used and its hash is what is trusted, so a missing .dsc on a
# partial mirror (apt then exits non-zero after fetching the tarballs) is not fatal.
(cd "$work/src" && timeout 5m "${APT[@]}" source --download-only libgpiod >&2) || true
tarball="$work/src/libgpiod_$VERSION.orig.tar.xz"
[[ -f "$tarball" ]] || { echo "build-libgpiod2: trixie no longer serves libgpiod $VERSION" >&2; exit 1; }
echo "$ORIG_SHA256  $tarball" | sha256sum --check --quiet >&2

tar -xJf "$tarball" -C "$work/src"
cd "$work/src/libgpiod-$VERSION"
# Only the C library: junctiond needs neither the tools nor the bindings.
./configure --quiet --prefix="$PREFIX" --enable-tools=no --enable-bindings-cxx=no \
    --enable-bindings-python=no --enable-tests=no >&2
make -s -j"$(nproc)" >&2
make -s install >&2
# SwiftPM passes every pkg-config -L in one list, and sqlite3's and libmodbus's name
# /usr/lib/<multiarch triplet>, where Debian 12's libgpiod.so (1.6) is: `-lgpiod` would find that one
# first and fail to link the shim's 2.x side. Naming the file takes this prefix's library.
sed -i 's|^Libs: -L${libdir} -lgpiod$|Libs: -L${libdir} -l:libgpiod.so.3|' "$PC"
grep -qx 'Libs: -L${libdir} -l:libgpiod.so.3' "$PC"
echo "$PREFIX"
