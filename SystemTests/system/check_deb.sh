#!/usr/bin/env bash
# Installs the junctiond package, runs the installed daemon's config check, purges the package and
# checks that nothing of it remains.
#
#   SystemTests/system/check_deb.sh [package.deb]
#
# Without a path it builds the package with deploy/build-deb.sh first. Needs root, dpkg, systemd's
# sysusers/tmpfiles tools and setpriv (util-linux). It refuses to run where junctiond is already
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

# Whatever happens next, do not leave the package installed for the next run to trip over.
trap 'dpkg --purge junctiond > /dev/null 2>&1 || true' EXIT
dpkg -i "$deb"
[[ $(dpkg-query -W -f '${Status}' junctiond) == "install ok installed" ]] || fail "dpkg does not list junctiond as installed"

getent passwd junctiond > /dev/null || fail "postinst made no junctiond user"
state=$(stat -c '%a %U:%G' /var/lib/junctiond 2>/dev/null || echo missing)
[[ $state == "750 junctiond:junctiond" ]] || fail "/var/lib/junctiond is '$state', expected '750 junctiond:junctiond'"
conffile=$(stat -c '%a %U:%G' /etc/junctiond/junction.toml 2>/dev/null || echo missing)
[[ $conffile == "640 root:junctiond" ]] || fail "/etc/junctiond/junction.toml is '$conffile', expected '640 root:junctiond'"

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
        /etc | /lib | /lib/systemd | /lib/systemd/system | /usr | /usr/bin | /usr/lib | /usr/lib/sysusers.d | \
            /usr/lib/tmpfiles.d | /usr/lib/udev | /usr/lib/udev/rules.d | /usr/share | /usr/share/doc | /var | /var/lib)
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
