#!/usr/bin/env bash
# Debian 13 (trixie) on a Debian 12 host: a trixie root made with debootstrap, where the package is
# built against trixie's own C libraries (libgpiod 2.x as libgpiod.so.3, libmodbus 3.1.11, systemd
# 257), so its Depends name trixie's packages, and where the tests run:
#
#   deploy/debian13.sh deb         -> artifacts/deb-debian13/junctiond_<version>_<arch>.deb
#   deploy/debian13.sh run CMD...  runs CMD in the root, in this source tree (mounted at /src/junctiond)
#
# trixie's own swiftlang (6.0.3) is too old for the packages this project pins, so the host's Swift
# toolchain is bind-mounted read-only into the root (it runs there: it needs only glibc and
# libstdc++, which trixie has in newer versions), with the host's package mirror and git's
# `insteadOf` rules for it. The root is cached under .build-debian13/ (a few hundred MB; about five
# minutes to make; a package added to the list later is installed into it with apt), and the
# build's scratch directory stays there too, so a second run rebuilds only what changed. Needs root
# and debootstrap. Environment:
#   JUNCTIOND_SWIFT_TOOLCHAIN  the toolchain's root (default: two levels above `swift`'s bin/)
# `deb` prints the path of the package as its last line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

usage="usage: deploy/debian13.sh deb | run COMMAND [ARGUMENT...]"
case ${1:-} in
    deb) ;;
    run) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 64; } ;;
    *) echo "$usage" >&2; exit 64 ;;
esac
if [[ $EUID -ne 0 ]]; then
    echo "debian13: needs root (debootstrap, chroot and bind mounts)" >&2
    exit 1
fi
command -v debootstrap > /dev/null || { echo "debian13: apt-get install debootstrap" >&2; exit 1; }
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
toolchain=${JUNCTIOND_SWIFT_TOOLCHAIN:-$(cd "$swift_bin/../.." && pwd)}
mirror=$(git config --system --get-regexp '^url\..*\.insteadof$' | head -n1 | sed -E 's/^url\.(.*)\.insteadof .*/\1/') || true

# What building and testing need in the root: the C libraries the package links, their headers,
# the tools build-deb.sh runs (dpkg-deb, objcopy, ldd, git), and what check_deb.sh runs (systemd's
# sysusers and tmpfiles, setpriv, lintian, and procps, which the package depends on), and what
# test_snmp.py runs (Debian's snmpd and Net-SNMP tools, pytest). debootstrap does not resolve a
# virtual package, so the provider of lintian's perl-openssl-abi-3 (through libnet-ssleay-perl) is named.
packages=(build-essential pkg-config git ca-certificates libgpiod-dev libmodbus-dev libsqlite3-dev
    libcurl4-openssl-dev libxml2-dev zlib1g-dev libncurses-dev python3 binutils file systemd util-linux
    lintian perl-openssl-defaults procps snmpd snmp python3-pytest python3-pytest-timeout)
cache="$repo/.build-debian13"
root="$cache/root"
if [[ ! -f $root/.complete ]]; then
    rm -rf "$root.partial"
    mkdir -p "$cache"
    echo "debian13: making the trixie root (debootstrap, a few minutes)" >&2
    debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" trixie "$root.partial" \
        http://deb.debian.org/debian > "$cache/debootstrap.log" 2>&1 \
        || { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
    touch "$root.partial/.complete"
    mv "$root.partial" "$root"
fi
# Mounted for the build and always unmounted, deepest first, even when the build fails.
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2> /dev/null || true; done
}
trap cleanup EXIT
bind() {
    local source=$1 target=$root$2 options=${3:-}
    mkdir -p "$target"
    mount --bind "$source" "$target"
    mounts+=("$target")
    # A read-only bind needs a remount: the first mount ignores ro.
    if [[ $options == ro ]]; then mount -o remount,bind,ro "$target"; fi
}
mount -t proc proc "$root/proc"
mounts+=("$root/proc")
# A root made before a package joined the list gets it from trixie's apt, keeping its build cache.
missing=()
for package in "${packages[@]}"; do
    chroot "$root" dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "debian13: adding ${missing[*]} to the root" >&2
    chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
# The toolchain's binaries find their libraries through $ORIGIN, which needs /proc (above).
bind "$toolchain" "$toolchain" ro
if [[ -n $mirror && -d $mirror ]]; then
    bind "$mirror" "$mirror" ro
    git config --system --get-regexp '^url\.' | while read -r name value; do
        git config --file "$root/etc/gitconfig" --add "$name" "$value"
    done
fi
bind "$repo" /src/junctiond

# A clean environment, so nothing of the host's (a venv, a PKG_CONFIG_PATH) leaks into the build.
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH="$swift_bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 \
        ${JUNCTIOND_VERSION:+JUNCTIOND_VERSION="$JUNCTIOND_VERSION"} "$@"
}
in_root git config --global --replace-all safe.directory /src/junctiond

if [[ $1 == run ]]; then
    shift
    in_root /bin/bash -c 'cd /src/junctiond && exec "$@"' debian13 "$@"
    exit
fi

in_root JUNCTIOND_SCRATCH=/var/cache/junctiond-build JUNCTIOND_OUT=artifacts/deb-debian13 \
    /bin/bash -c 'cd /src/junctiond && deploy/build-deb.sh' | tail -n 1 > "$cache/deb-path"
package=$repo/$(sed 's|^/src/junctiond/||' "$cache/deb-path")
[[ -f $package ]] || { echo "debian13: no package was made" >&2; exit 1; }
echo "$package"
