#!/usr/bin/env bash
# Builds the junctiond Debian package for this machine's architecture, in one command:
#
#   deploy/build-deb.sh            -> artifacts/deb/junctiond_<version>_<arch>.deb, and beside it
#                                     each binary's symbols (<binary>_<version>_<arch>.debug)
#
# The same command on an arm64 board (or arm64 build host) with a Swift toolchain makes the arm64
# package: nothing here names an architecture. Environment overrides:
#   JUNCTIOND_VERSION  upstream version (default: the VERSION file, +git<commit>); the package's is <it>-1
#   JUNCTIOND_CONFIG   junction file installed as /etc/junctiond/junction.toml
#                      (default hardware/junctions/cirebon-4arm.toml)
#   JUNCTIOND_SCRATCH  SwiftPM scratch directory (default .build)
#   JUNCTIOND_OUT      output directory (default artifacts/deb)
# It prints the path of the package as its last line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

arch=$(dpkg --print-architecture)
commit=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
# The Debian revision (-1) marks the packaging, whose changelog is deploy/debian/changelog.
version=${JUNCTIOND_VERSION:-$(tr -d " \n" < VERSION)+git${commit}}-1
config=${JUNCTIOND_CONFIG:-hardware/junctions/cirebon-4arm.toml}
out=${JUNCTIOND_OUT:-artifacts/deb}

if [[ ! -f $config ]]; then
    echo "build-deb: the default junction file $config does not exist (set JUNCTIOND_CONFIG)" >&2
    exit 1
fi

products=(junctiond junctionctl)
umask 022

# --static-swift-stdlib folds the Swift runtime and standard library into each binary, so a
# board needs no Swift toolchain: only the C libraries listed under Depends. The build is
# scripts/release-build.sh, the one scripts/test.sh's release stage runs, so an up-to-date release
# build is reused as it is (SwiftPM only checks it). generate-manual is swift-argument-parser's man
# page writer (the tool behind its generate-manual plugin, which would build every product instead).
build=(scripts/release-build.sh)
if [[ -n ${JUNCTIOND_SCRATCH:-} ]]; then
    build+=(--scratch-path "$JUNCTIOND_SCRATCH")
fi
for product in "${products[@]}" generate-manual; do
    "${build[@]}" --product "$product" >&2
done
bin=$("${build[@]}" --show-bin-path)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
doc="$root/usr/share/doc/junctiond"
# Dates written into the package come from the commit, so two builds of one commit are the same.
date_epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)

mkdir -p "$out"
for product in "${products[@]}"; do
    install -D -m 0755 "$bin/$product" "$root/usr/bin/$product"
    # Stripped as Debian's dh_strip does (the symbol table alone is a third of the binary); the
    # symbols and DWARF stay beside the package, linked by build id, to symbolicate a crash
    # backtrace off the board.
    objcopy --only-keep-debug "$bin/$product" "$out/${product}_${version}_${arch}.debug"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/$product"
    objcopy --add-gnu-debuglink="$out/${product}_${version}_${arch}.debug" "$root/usr/bin/$product"
    # Man page and bash completion, written by swift-argument-parser from the binary's own
    # commands and options, so they cannot drift from --help.
    mkdir -p "$stage/man"
    "$bin/generate-manual" "$bin/$product" --output-directory "$stage/man" \
        --date "$(date -u -d "@$date_epoch" +%Y-%m-%d)" --authors "junctiond developers" >&2
    # A completion script is sourced, not run: no #! line (lintian bash-completion-with-hashbang).
    "$bin/$product" --generate-completion-script bash | sed '1{/^#!/d}' >"$stage/$product.bash"
    install -D -m 0644 "$stage/$product.bash" "$root/usr/share/bash-completion/completions/$product"
done
for page in "$stage"/man/*.1; do
    # A blank line in a command's discussion is an empty input line to groff, which warns: a
    # paragraph break (.Pp) is what it means.
    sed 's/^$/.Pp/' "$page" | gzip -9n >"$stage/$(basename "$page").gz"
    install -D -m 0644 "$stage/$(basename "$page").gz" "$root/usr/share/man/man1/$(basename "$page").gz"
done
# The unit goes where the release's own packages put units: /lib/systemd/system up to Debian 12;
# from Debian 13 (base-files 13) /lib is only an alias of /usr/lib, and dpkg must not install
# through an alias (lintian's aliased-location error), so /usr/lib/systemd/system.
if dpkg --compare-versions "$(dpkg-query -W -f '${Version}' base-files)" ge 13; then
    unitdir=/usr/lib/systemd/system
else
    unitdir=/lib/systemd/system
fi
install -D -m 0644 systemd/junctiond.service "$root$unitdir/junctiond.service"
install -D -m 0644 systemd/junctiond.sysusers "$root/usr/lib/sysusers.d/junctiond.conf"
install -D -m 0644 systemd/junctiond.tmpfiles "$root/usr/lib/tmpfiles.d/junctiond.conf"
install -D -m 0644 systemd/60-junctiond.rules "$root/usr/lib/udev/rules.d/60-junctiond.rules"
# The junction file holds network keys; postinst gives it to group junctiond once that exists.
install -D -m 0640 "$config" "$root/etc/junctiond/junction.toml"
# The snmpd drop-in will hold the SNMPv3 passphrases: 0600 root here, and postinst hands it to
# snmpd's group (0640 root:Debian-snmp, as Debian's own snmpd.conf) when that group exists.
install -D -m 0600 systemd/snmpd-junctiond.conf "$root/etc/snmp/snmpd.conf.d/junctiond.conf"
install -D -m 0644 deploy/snmp/JUNCTIOND-NTCIP-MIB.txt "$root/usr/share/snmp/mibs/JUNCTIOND-NTCIP-MIB.txt"
install -d -m 0750 "$root/var/lib/junctiond"
install -D -m 0644 deploy/README.md "$doc/README.md"
install -D -m 0644 docs/snmp.md "$doc/snmp.md"
install -D -m 0644 deploy/debian/copyright "$doc/copyright"
# The changelog's newest entry is this build: its version line is rewritten to the package's.
sed "1s/([^)]*)/($version)/" deploy/debian/changelog | gzip -9n >"$stage/changelog.Debian.gz"
install -D -m 0644 "$stage/changelog.Debian.gz" "$doc/changelog.Debian.gz"
# Example junction files (and calendars, once the schedule ships one) for commissioning.
for example in hardware/junctions/*.toml hardware/calendars/*; do
    if [[ -f $example ]]; then
        install -D -m 0644 "$example" "$doc/examples/$(basename "$example")"
    fi
done
install -D -m 0644 deploy/debian/lintian-overrides "$root/usr/share/lintian/overrides/junctiond"

# Depends: every shared library the binaries load (ldd), mapped to the package that ships it
# (dpkg -S), at least at the version this build linked against.
library_package() {
    local path=$1 candidate owner
    for candidate in "$path" "${path#/usr}" "/usr$path" "$(readlink -f "$path")"; do
        owner=$(dpkg -S "$candidate" 2>/dev/null | grep -v '^diversion' | head -n1 | cut -d: -f1) || true
        if [[ -n $owner ]]; then
            echo "$owner"
            return
        fi
    done
    echo "build-deb: no installed package ships $path; a board could not satisfy it" >&2
    return 1
}
declare -A needed=()
for product in "${products[@]}"; do
    while read -r library; do
        needed[$(library_package "$library")]=1
    done < <(ldd "$root/usr/bin/$product" | grep -o '/[^ ]*' | sort -u)
done
depends=()
for package in $(printf '%s\n' "${!needed[@]}" | sort); do
    upstream=$(dpkg-query -W -f '${Version}' "$package" | sed -E 's/^[0-9]+://; s/-[^-]*$//')
    depends+=("$package (>= $upstream)")
done
# Programs the unit runs besides the daemon: ExecReload= is /bin/kill, which Debian ships in
# procps, and a minimal Debian 12 (debootstrap minbase) lacks it (SystemTests/systemd/test_nspawn.py).
depends+=("procps")
depends_line=$(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')

mkdir -p "$root/DEBIAN"
installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: junctiond
Version: $version
Architecture: $arch
Maintainer: junctiond developers <junctiond@lists.example.org>
Section: net
Priority: optional
Installed-Size: $installed_kib
Depends: $depends_line
Recommends: systemd
Suggests: snmpd, snmp
Description: adaptive traffic-signal controller daemon
 junctiond runs one signalised junction from a roadside Linux board: a
 real-time control loop with an independent safety monitor, GPIO and Modbus
 field I/O, systemd watchdog integration, and a built-in simulated junction
 (junctiond --demo).
CONTROL
printf '%s\n' /etc/junctiond/junction.toml /etc/snmp/snmpd.conf.d/junctiond.conf >"$root/DEBIAN/conffiles"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$root/DEBIAN/"
# dpkg --verify (debsums) checks installed files against these; conffiles are dpkg's own business.
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | grep -vxF -f <(sed 's|^/||' DEBIAN/conffiles) \
    | LC_ALL=C sort | xargs -d '\n' md5sum) >"$root/DEBIAN/md5sums"

package="$out/junctiond_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$package" >&2
echo "build-deb: Depends: $depends_line" >&2
echo "$package"
