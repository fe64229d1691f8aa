#!/bin/bash
# Runs as ExecStartPost= of junctiond.service (junctiond-test.conf), so inside the unit's sandbox,
# and writes what that sandbox allowed to $RUNTIME_DIRECTORY/sandbox-probe.txt, one
# "<name> <outcome>" line per probe; check.sh judges the outcomes. It always exits 0: a failed
# ExecStartPost= would fail the start, and the start is checked on its own.
#
# Outcomes are the error text of open(2) (e.g. "Operation not permitted"), or "opened"/"written".
# A device node whose open fails with ENXIO/ENODEV got past the device policy to a kernel with no
# such device behind it; EPERM is the policy refusing it; EACCES is the node's group not reaching
# the process.

outcome() {
    local error
    if error=$({ eval "exec 3$1\"\$2\""; } 2>&1); then
        echo "$3"
    else
        echo "${error##*: }"
    fi
}

{
    echo "state-write $(outcome '>' "$STATE_DIRECTORY/sandbox-probe" written)"
    echo "runtime-write $(outcome '>' "$RUNTIME_DIRECTORY/sandbox-probe" written)"
    echo "outside-write $(outcome '>' /var/lib/nspawn-check-outside/sandbox-probe written)"
    for node in /dev/nspawn-check/*; do
        [[ -e $node ]] && echo "device-${node##*/} $(outcome '<>' "$node" opened)"
    done
} > "$RUNTIME_DIRECTORY/sandbox-probe.txt" 2>&1
exit 0
