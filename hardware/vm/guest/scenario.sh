#!/bin/sh
# The GPIO hardware-in-the-loop scenario, run inside the QEMU guest by /init.
#
# It creates two gpio-sim banks ("jd-loops": detector inputs, "jd-lamps": lamp outputs and the
# watchdog, as hardware/junctions/t-junction-gpio.toml wires them), starts junctiond on them, and
# plays a technician with a test box: it drives detector lines through sim_gpioN/pull, samples the
# lamp and watchdog lines through sim_gpioN/value, and finally shorts a lit lamp's driver (pulls
# its open-drain line low) so the read-back disagrees. The host parses what this prints:
#   STEP ...                  what the scenario did, with the guest uptime
#   LAMPS <uptime> <bits>     lamp lines 0-15 of jd-lamps, one digit each
#   WATCHDOG <phase> <bits>   successive samples of the watchdog line
#   LIBGPIOD <path>           the libgpiod file junctiond has mapped
#   === junctiond === ... === end junctiond ===   everything junctiond printed
CONFIG=/t-junction-gpio.toml
SIM=/sys/kernel/config/gpio-sim/junction
LOG=/tmp/junctiond.log

now() { cut -d' ' -f1 /proc/uptime; }
step() { echo "STEP $(now) $*"; }

make_chip() {
    mkdir "$SIM"
    mkdir "$SIM/bank0" "$SIM/bank1"
    echo 16 >"$SIM/bank0/num_lines"
    echo jd-loops >"$SIM/bank0/label"
    mkdir "$SIM/bank0/line7"
    echo PE_BUTTON >"$SIM/bank0/line7/name"
    echo 32 >"$SIM/bank1/num_lines"
    echo jd-lamps >"$SIM/bank1/label"
    mkdir "$SIM/bank1/line16"
    echo CABINET_WDOG >"$SIM/bank1/line16/name"
    echo 1 >"$SIM/live"
    LOOPS=$(ls -d /sys/devices/platform/gpio-sim.*/"$(cat "$SIM/bank0/chip_name")")
    LAMPS=$(ls -d /sys/devices/platform/gpio-sim.*/"$(cat "$SIM/bank1/chip_name")")
}

# pull <offset> up|down: what the loop card (or button) does to a detector line.
pull() { echo "pull-$2" >"$LOOPS/sim_gpio$1/pull"; }

sample_lamps() {
    bits=""
    for offset in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
        read -r value <"$LAMPS/sim_gpio$offset/value"
        bits="$bits$value"
    done
    echo "LAMPS $(now) $bits"
}

sample_watchdog() {
    bits=""
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
        read -r value <"$LAMPS/sim_gpio16/value"
        bits="$bits$value"
        usleep 30000
    done
    echo "WATCHDOG $1 $bits"
}

# wait_for <extended regex> <seconds>: until junctiond's output has a matching line.
wait_for() {
    deadline=$(( $(cut -d. -f1 /proc/uptime) + $2 ))
    while [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
        grep -Eq "$1" "$LOG" && return 0
        sleep 0.5
    done
    step "timeout waiting for /$1/"
    return 1
}

make_chip
step "chips loops=$LOOPS lamps=$LAMPS"
# S_stop is occupied from before the start: it must turn into a max-presence fault after 1 minute.
pull 5 up
step "hold S_stop"

# The latched fault's directory must be private to junctiond's user (root here): /tmp is not.
mkdir -m 0700 -p /tmp/junctiond-state
/junctiond --config "$CONFIG" --view lines --state-directory /tmp/junctiond-state >"$LOG" 2>&1 &
JUNCTIOND=$!
(while [ ! -e /tmp/stop-sampling ]; do sample_lamps; usleep 100000; done) >/tmp/lamps.log &
SAMPLER=$!

if wait_for "mode normal" 40; then
    step "normal operation"
    # The libgpiod junctiond runs on (1.6 is libgpiod.so.2, 2.x libgpiod.so.3), from its mappings.
    echo "LIBGPIOD $(grep -o '/[^ ]*libgpiod\.so[^ ]*' "/proc/$JUNCTIOND/maps" | head -n 1)"
    sample_watchdog healthy

    for _ in 1 2 3; do pull 3 up; sleep 0.3; pull 3 down; sleep 0.3; done
    step "pulsed E_stop 3"

    # A call on the right-turn arrow: the controller must move S1 (W, E) to S2 (W, WR).
    pull 2 up; sleep 0.3; pull 2 down
    step "pulsed WR_stop 1"
    wait_for 'stage 2 "S2"' 60 && step "stage S2 commanded"

    # A chattering push button (active low: pressed is pulled down), 12 presses in a few seconds.
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do pull 6 down; sleep 0.1; pull 6 up; sleep 0.1; done
    step "chattered PS_button 12"

    # Detector diagnostics run per minute of junction time: wait for both faults to show.
    wait_for ' 6! 7!' 150 && step "detector faults shown"
    sample_watchdog before-fault

    # Short a lit lamp's driver: pull its open-drain line low while it is commanded on.
    for offset in 0 3 6 9 12 14 2 5 8 11 13 15; do
        read -r value <"$LAMPS/sim_gpio$offset/value"
        if [ "$value" = 1 ]; then
            echo pull-down >"$LAMPS/sim_gpio$offset/pull"
            step "shorted lamp line $offset"
            break
        fi
    done
    wait_for "mode fault" 20 && step "fault latched"
    sleep 1
    sample_watchdog faulted
else
    step "junctiond did not reach normal operation"
fi

touch /tmp/stop-sampling
kill -TERM "$JUNCTIOND" 2>/dev/null
# SIGTERM first flashes the junction; a daemon that does not exit in 20 s is killed.
(sleep 20; kill -KILL "$JUNCTIOND" 2>/dev/null) &
wait "$JUNCTIOND"
step "junctiond exited $?"
wait "$SAMPLER"
echo "=== junctiond ==="
cat "$LOG"
echo "=== end junctiond ==="
cat /tmp/lamps.log
