#!/usr/bin/env bash
# Checks systemd/junctiond.service and its sysusers/tmpfiles companions without a running systemd.
#
# 1. `systemd-analyze verify` must print nothing at all. It exits 0 even when it warns, so its
#    output is what is judged. The unit is verified inside a scratch root (--root) holding a stub
#    /usr/bin/junctiond, /bin/kill and systemd's own units, so the only thing that could be missing
#    is a real mistake. A deliberately broken copy is verified first, to prove warnings are seen.
# 2. `systemd-analyze security --offline=yes` must rate the unit "OK" or better with an exposure of
#    at most MAX_EXPOSURE (2.0; the unit scores 1.7, a bare unit 9.6 "UNSAFE").
# 3. systemd-sysusers and systemd-tmpfiles must accept their files silently in a scratch root and
#    create the user, groups and directories with the expected owners and modes.
# Needs: systemd (systemd-analyze, systemd-sysusers, systemd-tmpfiles).
set -euo pipefail

MAX_EXPOSURE=2.0
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
unit="$repo/systemd/junctiond.service"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

make_root() {
    local root=$1
    mkdir -p "$root/usr/bin" "$root/usr/lib/systemd" "$root/etc/systemd/system"
    ln -s usr/bin "$root/bin"
    ln -s usr/lib "$root/lib"
    printf '#!/bin/sh\nexit 0\n' > "$root/usr/bin/junctiond"
    chmod 0755 "$root/usr/bin/junctiond"
    cp "$(type -P kill)" "$root/usr/bin/kill"
    cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
}

verify_output() {
    local root=$1
    systemd-analyze verify --root="$root" junctiond.service 2>&1 || true
}

# The verifier must notice a mistake, or a silent pass would mean nothing.
make_root "$scratch/broken"
sed 's/^Restart=on-failure$/Restart=on-failure\nRestartSecs=2s/' "$unit" > "$scratch/broken/etc/systemd/system/junctiond.service"
if [[ -z $(verify_output "$scratch/broken") ]]; then
    fail "systemd-analyze verify printed nothing for a unit with an unknown key; the check is blind"
fi

make_root "$scratch/root"
cp "$unit" "$scratch/root/etc/systemd/system/junctiond.service"
output=$(verify_output "$scratch/root")
if [[ -n $output ]]; then
    fail "systemd-analyze verify warned:"
    echo "$output" | sed 's/^/    /'
else
    echo "ok: systemd-analyze verify printed no warnings"
fi

security=$(systemd-analyze security --offline=yes "$unit" 2>&1 || true)
overall=$(echo "$security" | grep 'Overall exposure level' || true)
if [[ -z $overall ]]; then
    fail "systemd-analyze security gave no overall score:"
    echo "$security" | tail -n 5 | sed 's/^/    /'
else
    score=$(echo "$overall" | sed -E 's/.*: ([0-9.]+) ([A-Z]+).*/\1/')
    rating=$(echo "$overall" | sed -E 's/.*: ([0-9.]+) ([A-Z]+).*/\2/')
    echo "security: exposure $score $rating (threshold $MAX_EXPOSURE, rating OK or better)"
    echo "$security" | grep '✗' | sed -E 's/ {2,}/  /g; s/^/    /' || true
    if ! awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
        fail "exposure $score is above $MAX_EXPOSURE"
    fi
    case $rating in
        PERFECT | SAFE | OK) ;;
        *) fail "rating $rating is worse than OK" ;;
    esac
fi

# sysusers and tmpfiles, applied to a scratch root seeded with this machine's users and groups.
users="$scratch/users"
mkdir -p "$users/etc"
cp /etc/passwd /etc/group "$users/etc/"
touch "$users/etc/shadow" "$users/etc/gshadow"
sysusers_output=$(systemd-sysusers --root="$users" "$repo/systemd/junctiond.sysusers" 2>&1 | grep -v '^Creating ' || true)
[[ -z $sysusers_output ]] || fail "systemd-sysusers warned: $sysusers_output"
grep -q '^junctiond:.*:/usr/sbin/nologin$' "$users/etc/passwd" || fail "no junctiond system user with nologin"
for group in gpio dialout; do
    grep -qE "^$group:[^:]*:[0-9]+:(.*,)?junctiond(,.*)?$" "$users/etc/group" || fail "junctiond is not in group $group"
done
tmpfiles_output=$(systemd-tmpfiles --root="$users" --create "$repo/systemd/junctiond.tmpfiles" 2>&1 || true)
[[ -z $tmpfiles_output ]] || fail "systemd-tmpfiles warned: $tmpfiles_output"
uid=$(awk -F: '$1 == "junctiond" { print $3 }' "$users/etc/passwd")
for directory in var/lib/junctiond run/junctiond; do
    actual=$(stat -c '%a %u' "$users/$directory" 2>/dev/null || echo missing)
    [[ $actual == "750 $uid" ]] || fail "/$directory is '$actual', expected '750 $uid'"
done
[[ $failures -eq 0 ]] && echo "ok: sysusers and tmpfiles files apply cleanly"

if [[ $failures -ne 0 ]]; then
    echo "check_systemd_unit: $failures failed"
    exit 1
fi
echo "check_systemd_unit: all passed"
