#!/bin/bash
# The checks of the installed junctiond.service under a real systemd (PID 1 of a Debian 12
# container), run by nspawn-check.service once the container has booted. Every check appends one
# line to /srv/data/results.txt, "ok <name>: <detail>" or "FAIL <name>: <detail>";
# SystemTests/systemd/test_nspawn.py expects every name it knows and fails on any FAIL or absence.
#
# From the host, in /srv/data: junctiond.deb, upstream.toml (an [upstream] section whose central
# is a UDP socket the host reads) and modbus.toml (a junction file whose Modbus units are a
# pymodbus peer on the host; the container shares the host's network).
# Waits are bounded polls of what systemd, the journal and junctionctl say, never sleeps that
# assume a speed.
set -u
data=/srv/data
results=$data/results.txt
: > "$results"
trap 'journalctl -q -b -o short-monotonic > "$data/journal.txt"' EXIT
unit=junctiond.service
config=/etc/junctiond/junction.toml

pass() { echo "ok $1: $2" | tee -a "$results"; }
fail() { echo "FAIL $1: $2" | tee -a "$results"; }
# verdict NAME DETAIL CONDITION...: pass when the condition command succeeds.
verdict() {
    local name=$1 detail=$2
    shift 2
    if "$@"; then pass "$name" "$detail"; else fail "$name" "$detail"; fi
}
prop() { systemctl show -p "$1" --value "$unit"; }
# wait_until SECONDS COMMAND...: polls every 0.2 s until the command succeeds.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
# Everything one process wrote to the journal (its stderr log lines and stdout view lines).
journal_of() { journalctl -q -o cat "_PID=$1" "${@:2}"; }
journal_has() { journal_of "$1" | grep -qF -- "$2"; }
cursor() { journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
# systemd's own messages about the unit since CURSOR.
unit_log_since() { journalctl -q -o cat --after-cursor="$1" -u "$unit"; }
main_pid() { prop MainPID; }
new_main_pid() { local pid; pid=$(main_pid); [[ $pid != 0 && $pid != "$1" ]]; }
is_active() { [[ $(prop ActiveState) == active ]]; }
ctl_mode() { junctionctl status 2>/dev/null | sed -n 's/^  mode     //p'; }
mode_is() { [[ $(ctl_mode) == "$1"* ]]; }
view_mode_sequence() { journal_of "$1" | sed -n 's/.*  mode \([a-z-]*\) .*/\1/p' | uniq | tr '\n' ' '; }

# Not --wait: this unit is itself one of the boot jobs that would be waited for.
echo "system: $(systemctl is-system-running); $(systemctl --version | head -n 1)"
# On a cgroup v1 host (as on the CI machine) nspawn mounts the devices hierarchy read-only, so
# systemd could not apply DevicePolicy=/DeviceAllow= and every device would open. The host gave
# the container a devices cgroup of its own; make it writable and let systemd find the
# controller again, as PID 1 on a board would. (cgroup v2 needs nothing: device policy is BPF.)
if [[ $(findmnt -no OPTIONS /sys/fs/cgroup/devices 2> /dev/null) == ro,* ]]; then
    mount -o remount,bind,rw /sys/fs/cgroup/devices && systemctl daemon-reexec
    echo "cgroup v1: devices controller made writable for systemd: $(findmnt -no OPTIONS /sys/fs/cgroup/devices)"
fi

# ---- install ----------------------------------------------------------------------------------
if dpkg -i "$data/junctiond.deb" > /tmp/dpkg.log 2>&1 && getent passwd junctiond > /dev/null; then
    pass install "dpkg -i on minbase + systemd + the package's Depends; user junctiond made"
else
    fail install "dpkg -i failed: $(tr '\n' ' ' < /tmp/dpkg.log | tail -c 600)"
    exit 0
fi
mkdir -p /etc/systemd/system/$unit.d /run/nspawn-check
cp /srv/check/junctiond-test.conf /etc/systemd/system/$unit.d/
cp "$config" /tmp/junction.toml.installed
cat "$data/upstream.toml" >> "$config"
systemctl daemon-reload

# Device nodes for the probe, with the owners the package's udev rule would give real ones. Any
# registered major works: a node with no device behind it still shows whether the policy lets the
# open reach the kernel (ENXIO) or stops it (EPERM).
# Owned by junctiond, so only ProtectSystem=strict can stop the probe writing there.
install -d -o junctiond -g junctiond /var/lib/nspawn-check-outside
mkdir -p /dev/nspawn-check
make_node() { mknod -m "$4" "/dev/nspawn-check/$1" c "$2" "$3" && chgrp "$5" "/dev/nspawn-check/$1"; }
major_of() { awk -v name="$1" '$2 == name { print $1; exit }' /proc/devices; }
make_node ttyS "$(major_of ttyS)" 73 0660 dialout
# Major 240 is reserved for local use: no driver, and not in the unit's DeviceAllow=.
make_node denied 240 0 0666 root
gpiochip_major=$(major_of gpiochip)
[[ -n $gpiochip_major ]] && make_node gpiochip "$gpiochip_major" 9 0660 gpio

# ---- READY, watchdog feeding, sockets, state directory ------------------------------------------
start_log=$(timeout 60 systemctl start $unit 2>&1)
start_status=$?
pid=$(main_pid)
# journald reads the daemon's stderr stream on its own time: wait for a line, never assume it.
wait_until 10 journal_has "$pid" "junctiond ready"
verdict ready "systemctl start returned $start_status (Type=notify: only after READY=1); $(prop ActiveState)/$(prop SubState); status \"$(prop StatusText)\"" \
    eval '[[ $start_status == 0 && $(prop SubState) == running && -n $(prop StatusText) ]] && journal_has $pid "junctiond ready"'
[[ $start_status == 0 ]] || echo "$start_log"

first=$(prop WatchdogTimestampMonotonic)
wait_until 10 eval '[[ $(prop WatchdogTimestampMonotonic) -gt $first ]]'
verdict watchdog-fed "WatchdogUSec=$(prop WatchdogUSec); WATCHDOG=1 timestamp moved from $first to $(prop WatchdogTimestampMonotonic)" \
    eval '[[ $(prop WatchdogTimestampMonotonic) -gt $first ]]'

status_text=$(junctionctl status 2>&1)
verdict sockets "/run/junctiond: $(ls /run/junctiond | tr '\n' ' '); junctionctl status: $(grep -m1 '^  mode' <<< "$status_text")" \
    eval '[[ -S /run/junctiond/junctiond.sock && -S /run/junctiond/junctiond-control.sock ]] && grep -q "^  mode" <<< "$status_text"'

wait_until 20 test -s /var/lib/junctiond/junctiond.db
verdict state-directory "$(stat -c '%n %U:%G %a' /var/lib/junctiond /var/lib/junctiond/junctiond.db 2>&1 | tr '\n' ';')" \
    eval '[[ $(stat -c %U /var/lib/junctiond/junctiond.db 2>/dev/null) == junctiond ]]'

probe=$(cat /run/junctiond/sandbox-probe.txt 2>&1)
echo "sandbox probe (as user junctiond, in the unit's sandbox):"
sed 's/^/    /' <<< "$probe"
probe_of() { sed -n "s/^$1 //p" <<< "$probe"; }
verdict sandbox-writes "state dir: $(probe_of state-write); runtime dir: $(probe_of runtime-write); a directory of junctiond's outside them (ProtectSystem=strict must make it read-only): $(probe_of outside-write)" \
    eval '[[ $(probe_of state-write) == written && $(probe_of runtime-write) == written && $(probe_of outside-write) == "Read-only file system" ]]'
# The control: a node outside DeviceAllow= must be refused, or the allowed ones prove nothing.
verdict device-policy-enforced "node c 240:0 (not in DeviceAllow=): $(probe_of device-denied)" \
    eval '[[ $(probe_of device-denied) == "Operation not permitted" ]]'
verdict device-serial "ttyS node (group dialout, DeviceAllow=char-ttyS): $(probe_of device-ttyS) (a policy refusal would be EPERM, a group problem EACCES)" \
    eval '[[ $(probe_of device-ttyS) == "No such device" || $(probe_of device-ttyS) == "No such device or address" || $(probe_of device-ttyS) == opened ]]'
device_allow=$(prop DeviceAllow | tr '\n' ',')
if [[ -n $gpiochip_major ]]; then
    verdict device-gpio "gpiochip node (major $gpiochip_major, group gpio): $(probe_of device-gpiochip)" \
        eval '[[ $(probe_of device-gpiochip) == "No such device or address" || $(probe_of device-gpiochip) == "No such device" ]]'
else
    # This kernel registers no gpiochip character devices (no GPIO cdev), so no node can be made;
    # what systemd loaded must still name the class and the group must be there.
    verdict device-gpio "kernel has no gpiochip major in /proc/devices; loaded DeviceAllow=\"$device_allow\", DevicePolicy=$(prop DevicePolicy), junctiond groups: $(id -nG junctiond)" \
        eval '[[ "$device_allow" == *"char-gpiochip rw"* && $(prop DevicePolicy) == closed ]] && id -nG junctiond | grep -qw gpio'
fi

# ---- journald fields ----------------------------------------------------------------------------
uid=$(id -u junctiond)
fields=(_SYSTEMD_UNIT=$unit "_PID=$pid" "_UID=$uid" SYSLOG_IDENTIFIER=junctiond _TRANSPORT=stdout)
notice=$(journalctl -q -o cat "${fields[@]}" PRIORITY=5)
info=$(journalctl -q -o cat "${fields[@]}" PRIORITY=6)
prefixed=$(journal_of "$pid" | grep -c '^<[0-7]>')
verdict journald-fields "unit, pid, uid $uid, identifier junctiond, stdout transport: the ready line at PRIORITY=5 ($(grep -c 'junctiond ready' <<< "$notice")), the loop line at PRIORITY=6 ($(grep -c 'control loop running' <<< "$info")), lines still carrying a <N> prefix: $prefixed" \
    eval '[[ $notice == *"junctiond: junctiond ready"* && $info == *"junctiond: control loop running"* && $prefixed == 0 ]]'

# ---- systemctl reload (SIGHUP) ------------------------------------------------------------------
sed -i 's/^max_green = 45$/max_green = 50/' "$config"
reload_status=$(timeout 30 systemctl reload $unit 2>&1; echo "exit $?")
wait_until 90 journal_has "$pid" "reload applied"
verdict reload-valid "systemctl reload: $reload_status; same main pid: $(main_pid) (was $pid); $(journal_of "$pid" | grep -m1 -o 'reload applied.*' | cut -c1-100)" \
    eval '[[ $reload_status == "exit 0" && $(main_pid) == "$pid" ]] && journal_has $pid "reload applied"'
sed -i 's/^max_green = 50$/max_green = 4/' "$config"
reload_status=$(timeout 30 systemctl reload $unit 2>&1; echo "exit $?")
wait_until 30 journal_has "$pid" "reload refused"
verdict reload-invalid "systemctl reload: $reload_status; $(prop ActiveState), same main pid: $(main_pid); refusal names max_green: $(journal_of "$pid" | grep 'reload refused' | grep -c max_green)" \
    eval '[[ $reload_status == "exit 0" && $(main_pid) == "$pid" ]] && is_active && journal_of $pid | grep "reload refused" | grep -q max_green'
# ---- upgrade: the postinst restarts a running daemon, never onto a file this version refuses -------
# Reinstalling the same package runs the upgrade path (prerm upgrade, postinst configure); the
# admin's changed conffile is kept, so the daemon meets the file as it is.
upgrade_log=$(dpkg -i "$data/junctiond.deb" 2>&1; echo "exit $?")
verdict upgrade-refused-file "dpkg -i with the refused file in place: $(grep -E 'junctiond:|max_green|^exit' <<< "$upgrade_log" | tr '\n' ' ' | cut -c1-400); main pid $(main_pid) (was $pid)" \
    eval '[[ $upgrade_log == *"exit 0" && $upgrade_log == *"the running daemon was not restarted"* && $upgrade_log == *max_green* && $(main_pid) == "$pid" ]] && is_active'
sed -i 's/^max_green = 4$/max_green = 45/' "$config"
upgrade_log=$(dpkg -i "$data/junctiond.deb" 2>&1; echo "exit $?")
wait_until 60 eval 'new_main_pid "$pid" && journal_has "$(main_pid)" "junctiond ready"'
verdict upgrade-restart "dpkg -i with a valid file: $(tail -n 1 <<< "$upgrade_log"); main pid $pid -> $(main_pid); the old one stopped in flash: $(journal_of "$pid" | grep -c 'junction in flash; stopping')" \
    eval '[[ $upgrade_log == *"exit 0" && $upgrade_log != *"not restarted"* ]] && new_main_pid "$pid" && is_active && journal_has "$pid" "junction in flash; stopping"'

# ---- watchdog: a stalled loop is killed and restarted; the junction re-enters through flash ------
restarts=$(prop NRestarts)
echo JUNCTIOND_TEST_STALL_AFTER_TICKS=30 > /run/nspawn-check/stall.env
timeout 60 systemctl restart $unit
stalled=$(main_pid)
mark=$(cursor)
wait_until 30 journal_has "$stalled" "stalling the control loop"
# The instance systemd starts after the kill must run normally.
rm -f /run/nspawn-check/stall.env
wait_until 40 new_main_pid "$stalled"
recovered=$(main_pid)
killed=$(unit_log_since "$mark" | grep -E 'Watchdog timeout|result .watchdog.' | tr '\n' ' ')
verdict watchdog-kill "after the stall: $killed; NRestarts $restarts -> $(prop NRestarts); main pid $stalled -> $recovered" \
    eval '[[ $killed == *"Watchdog timeout"* && $killed == *"watchdog"* && $(prop NRestarts) == $((restarts + 1)) && $recovered != "$stalled" ]]'
warnings=$(journal_of "$stalled" -p warning)
verdict journald-priority "journalctl -p warning for the stalled instance: $(grep -c . <<< "$warnings") lines, stall warning present: $(grep -c 'stalling the control loop' <<< "$warnings"), info lines leaking in: $(grep -c 'control loop running' <<< "$warnings")" \
    eval '[[ $warnings == *"test hook: stalling the control loop"* && $warnings != *"control loop running"* ]]'
wait_until 60 eval '[[ $(view_mode_sequence "$recovered") == *normal* ]]'
sequence=$(view_mode_sequence "$recovered")
verdict watchdog-recovery "restarted instance's modes: $sequence(now $(ctl_mode))" \
    eval '[[ $sequence == "startup all-red normal"* ]] && mode_is normal'

# ---- Modbus TCP through the sandbox ---------------------------------------------------------
install -m 0640 -g junctiond "$data/modbus.toml" "$config"
timeout 60 systemctl restart $unit
modbus_pid=$(main_pid)
wait_until 60 mode_is normal
field=$(junctionctl status 2>&1 | grep '^  field' | tr -s ' ' | tr '\n' ';')
verdict modbus "READY with Modbus TCP to the host's peer: $(prop SubState), mode $(ctl_mode); $field" \
    eval '[[ $(prop SubState) == running && $field == *"detectors modbus: "[1-9]* && $field == *"outputs modbus: "*", "[1-9]*" writes"* ]] && journal_has $modbus_pid "junctiond ready"'

# ---- systemctl stop: flash, exit 0 ------------------------------------------------------------
# systemd may unload an inactive unit, so ExecMainStatus= would read 0 whatever happened; its own
# journal lines say how the process ended ("Deactivated successfully" only after exit 0).
mark=$(cursor)
stop_status=$(timeout 60 systemctl stop $unit 2>&1; echo "exit $?")
wait_until 10 journal_has "$modbus_pid" "junction in flash; stopping"
wait_until 10 eval 'unit_log_since "$mark" | grep -qE "Deactivated|Failed with"'
ended=$(unit_log_since "$mark" | grep -E 'Main process exited|Failed with|Deactivated|Killing' | tr '\n' ' ')
last_view=$(journal_of "$modbus_pid" | grep '  mode ' | tail -n 1 | grep -o 'mode [a-z-]*')
verdict stop "systemctl stop: $stop_status; $(prop ActiveState); systemd: $ended; last view line: $last_view" \
    eval '[[ $stop_status == "exit 0" && $(prop ActiveState) == inactive && $ended == *"Deactivated successfully"* && $ended != *"Main process exited"* && $ended != *Killing* && $last_view == "mode flash" ]] && journal_has $modbus_pid "junction in flash; stopping"'

echo "done" >> "$results"
