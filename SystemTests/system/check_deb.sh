#!/usr/bin/env bash
# Lints the junctiond package (lintian, failing on errors), checks its size and contents, installs
# it, runs the installed daemon's config check, checks the users, groups and file modes it sets up,
# purges the package and checks that nothing of it remains.
#
#   SystemTests/system/check_deb.sh [package.deb]
#
# Without a path it builds the package with deploy/build-deb.sh first. Needs root, dpkg, lintian,
# systemd's sysusers/tmpfiles tools and setpriv (util-linux). It refuses to run where junctiond is already
# installed, since it ends by purging the package.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

if [[ $EUID -ne 0 ]]; then
    echo "check_deb: needs root (dpkg -i)" >&2
    exit 1
fi
if dpkg-query -W -f '${Status}' junctiond 2>/dev/null | grep -q installed; then
    echo "check_deb: junctiond is already installed here; refusing to purge it" >&2
    exit 1
fi

deb=${1:-}
if [[ -z $deb ]]; then
    deb=$("$repo/deploy/build-deb.sh" | tail -n 1)
fi
echo "package: $deb ($(du -h "$deb" | cut -f1))"
mapfile -t shipped < <(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$')

# Debian's own checks, with the package's overrides (deploy/debian/lintian-overrides, each
# justified there). Errors fail; warnings and the rest are shown.
if ! command -v lintian >/dev/null; then
    fail "lintian is missing (apt-get install lintian)"
elif lintian --fail-on error --info --display-level ">=info" "$deb"; then
    echo "ok: lintian reports no error"
else
    fail "lintian reports errors (above)"
fi
# The issue's size bound: what the package occupies once installed (dpkg's Installed-Size, KiB).
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
echo "size: $(stat -c %s "$deb") bytes packed, Installed-Size $installed_kib KiB"
((installed_kib <= 50 * 1024)) || fail "Installed-Size $installed_kib KiB is over 50 MiB"
for path in /usr/share/man/man1/junctiond.1.gz /usr/share/man/man1/junctionctl.1.gz \
    /usr/share/bash-completion/completions/junctiond /usr/share/bash-completion/completions/junctionctl \
    /usr/share/doc/junctiond/copyright /usr/share/doc/junctiond/changelog.Debian.gz \
    /usr/share/doc/junctiond/examples/cirebon-4arm.toml /usr/share/snmp/mibs/JUNCTIOND-NTCIP-MIB.txt \
    /etc/snmp/snmpd.conf.d/junctiond.conf; do
    printf '%s\n' "${shipped[@]}" | grep -qx "$path" || fail "the package does not ship $path"
done

# Whatever happens next, do not leave the package installed for the next run to trip over.
trap 'dpkg --purge junctiond > /dev/null 2>&1 || true' EXIT
dpkg -i "$deb"
[[ $(dpkg-query -W -f '${Status}' junctiond) == "install ok installed" ]] || fail "dpkg does not list junctiond as installed"

getent passwd junctiond > /dev/null || fail "postinst made no junctiond user"
state=$(stat -c '%a %U:%G' /var/lib/junctiond 2>/dev/null || echo missing)
[[ $state == "750 junctiond:junctiond" ]] || fail "/var/lib/junctiond is '$state', expected '750 junctiond:junctiond'"
conffile=$(stat -c '%a %U:%G' /etc/junctiond/junction.toml 2>/dev/null || echo missing)
[[ $conffile == "640 root:junctiond" ]] || fail "/etc/junctiond/junction.toml is '$conffile', expected '640 root:junctiond'"

getent group junctiond-admin > /dev/null || fail "postinst made no junctiond-admin group (the control socket's)"
# The snmpd drop-in will hold SNMPv3 passphrases: never world-readable; snmpd's group reads it when
# snmpd is installed (as in CI), else root alone.
dropin=$(stat -c '%a %U:%G' /etc/snmp/snmpd.conf.d/junctiond.conf 2>/dev/null || echo missing)
if getent group Debian-snmp > /dev/null; then
    [[ $dropin == "640 root:Debian-snmp" ]] || fail "the snmpd drop-in is '$dropin', expected '640 root:Debian-snmp'"
else
    [[ $dropin == "600 root:root" ]] || fail "the snmpd drop-in is '$dropin', expected '600 root:root' without snmpd"
fi
agentx=$(stat -c '%a %U:%G' /var/agentx 2>/dev/null || echo missing)
[[ $agentx == "750 root:junctiond" ]] || fail "/var/agentx is '$agentx', expected '750 root:junctiond' (tmpfiles.d)"
for page in junctiond junctionctl; do
    man_warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null || true)
    [[ -z $man_warnings ]] || fail "man $page warns: $man_warnings"
done

if /usr/bin/junctiond --check-config /etc/junctiond/junction.toml; then
    echo "ok: /usr/bin/junctiond --check-config /etc/junctiond/junction.toml"
else
    fail "the installed junctiond rejects the installed junction file"
fi
# The daemon runs as junctiond, which must be able to read the file it is given.
if setpriv --reuid=junctiond --regid=junctiond --init-groups /usr/bin/junctiond --check-config \
    /etc/junctiond/junction.toml > /dev/null; then
    echo "ok: user junctiond can read and check the junction file"
else
    fail "user junctiond cannot check /etc/junctiond/junction.toml"
fi

# State the daemon would leave (a latched fault, the event log) is not dpkg's, so only postrm
# can remove it; writing it as junctiond also shows the daemon can write its state directory.
if setpriv --reuid=junctiond --regid=junctiond --init-groups touch /var/lib/junctiond/check-deb.state; then
    echo "ok: user junctiond can write /var/lib/junctiond"
else
    fail "user junctiond cannot write /var/lib/junctiond"
fi
# An enabled unit leaves a symlink outside the package; purge must take it too.
systemctl enable junctiond.service 2>&1 | sed 's/^/    /' || true

dpkg --purge junctiond
if dpkg-query -W -f '${Status}' junctiond 2>/dev/null | grep -q installed; then
    fail "junctiond is still installed after purge"
fi
left=()
mapfile -t expected_gone < <(printf '%s\n' "${shipped[@]}" /etc/junctiond /var/lib/junctiond /run/junctiond \
    /etc/systemd/system/multi-user.target.wants/junctiond.service | sort -u)
for path in "${expected_gone[@]}"; do
    case $path in
        # Shared directories that other packages own too.
        /etc | /lib | /lib/systemd | /lib/systemd/system | /usr | /usr/bin | /usr/lib | /usr/lib/systemd | \
            /usr/lib/systemd/system | /usr/lib/sysusers.d | \
            /usr/lib/tmpfiles.d | /usr/lib/udev | /usr/lib/udev/rules.d | /usr/share | /usr/share/doc | /var | /var/lib | \
            /etc/snmp | /etc/snmp/snmpd.conf.d | /usr/share/snmp | /usr/share/snmp/mibs | /usr/share/man | \
            /usr/share/man/man1 | /usr/share/bash-completion | /usr/share/bash-completion/completions | \
            /usr/share/lintian | /usr/share/lintian/overrides)
            continue
            ;;
    esac
    if [[ -e $path || -L $path ]]; then
        left+=("$path")
    fi
done
if [[ ${#left[@]} -ne 0 ]]; then
    fail "files left after purge: ${left[*]}"
else
    echo "ok: purge left none of the package's ${#shipped[@]} paths, nor its state, config or enablement"
fi

if [[ $failures -ne 0 ]]; then
    echo "check_deb: $failures failed"
    exit 1
fi
echo "check_deb: all passed"
