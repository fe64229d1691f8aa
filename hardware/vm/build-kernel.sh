#!/usr/bin/env bash
# Builds the kernel side of the GPIO hardware-in-the-loop VM into .build-vm/kernel/<abi>/:
#   vmlinuz      Debian 12's own kernel (linux-image-<abi>, downloaded with apt, not installed)
#   configfs.ko  from the same package (configfs is a module in Debian's build)
#   gpio-sim.ko  built out of tree: Debian 12 builds neither GPIO_SIM nor IRQ_SIM, so the module
#                carries drivers/gpio/gpio-sim.c and kernel/irq/irq_sim.c from linux-source-6.1
#
# The ABI (6.1.0-NN-<arch>) is the one of the installed linux-headers-<arch>, so the module's
# vermagic and symbol versions match the downloaded image; the running host kernel does not matter.
# Two changes to the kernel source, each checked to have applied:
# 1. irq_sim.c calls handle_simple_irq(irq_to_desc(irq)), and irq_to_desc is not exported to
#    modules, so it calls generic_handle_irq(irq) instead.
# 2. gpio-sim models an open-drain output electrically: gpiolib emulates open drain by switching
#    the line to input for "high", and 6.1's gpio-sim then keeps the last driven value instead of
#    the pull. Patched, a line in input direction reads its pull (sim_gpioN/pull), so a released
#    open-drain lamp line reads high through its pull-up, and a test that pulls it low (a shorted
#    driver) makes junctiond's read-back disagree. Push-pull lines behave as before.
#
# Cached: a second run with the same ABI (and this script unchanged) returns at once. Needs (apt): linux-headers-<arch>,
# linux-source-6.1, build-essential, bc, flex, bison, libelf-dev, xz-utils.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The host's own architecture: the guest runs the same binaries the host built.
ARCH=$(dpkg --print-architecture)

abi_of_headers() {
    dpkg-query -W -f='${Depends}' "linux-headers-$ARCH" 2>/dev/null \
        | grep -o "linux-headers-[0-9][^ ,]*-$ARCH" | head -1 | sed 's/^linux-headers-//'
}

ABI="${JUNCTIOND_VM_KERNEL_ABI:-$(abi_of_headers)}"
[[ -n "$ABI" ]] || { echo "build-kernel: install linux-headers-$ARCH (scripts/install-deps.sh)" >&2; exit 1; }
HEADERS="/usr/src/linux-headers-$ABI"
SOURCE_TARBALL=/usr/src/linux-source-6.1.tar.xz
[[ -d "$HEADERS" ]] || { echo "build-kernel: $HEADERS is missing" >&2; exit 1; }
[[ -f "$SOURCE_TARBALL" ]] || { echo "build-kernel: $SOURCE_TARBALL is missing (linux-source-6.1)" >&2; exit 1; }

# Keyed by this script's hash too, so a change to the build or the patches rebuilds.
OUT=".build-vm/kernel/$ABI-$(sha256sum "$0" | cut -c1-12)"
if [[ -f "$OUT/vmlinuz" && -f "$OUT/gpio-sim.ko" && -f "$OUT/configfs.ko" ]]; then
    echo "$OUT"
    exit 0
fi
WORK=".build-vm/kernel-work"
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK/module" "$OUT"

echo "build-kernel: kernel image linux-image-$ABI" >&2
(cd "$WORK" && apt-get download -q "linux-image-$ABI" >/dev/null 2>&1) \
    || { echo "build-kernel: apt-get download linux-image-$ABI failed (run apt-get update)" >&2; exit 1; }
dpkg-deb -x "$WORK"/linux-image-"$ABI"_*.deb "$WORK/image"
cp "$WORK/image/boot/vmlinuz-$ABI" "$OUT/vmlinuz"
configfs=$(find "$WORK/image/lib/modules/$ABI" -name 'configfs.ko*' | head -1)
[[ -n "$configfs" ]] || { echo "build-kernel: configfs.ko not found in linux-image-$ABI" >&2; exit 1; }
case "$configfs" in
    *.xz) xz -dc "$configfs" >"$OUT/configfs.ko" ;;
    *) cp "$configfs" "$OUT/configfs.ko" ;;
esac

echo "build-kernel: gpio-sim from $SOURCE_TARBALL" >&2
tar -xJf "$SOURCE_TARBALL" -C "$WORK" --strip-components=1 \
    linux-source-6.1/drivers/gpio/gpio-sim.c linux-source-6.1/drivers/gpio/gpiolib.h \
    linux-source-6.1/kernel/irq/irq_sim.c
perl -0pe '
    s/(__set_bit\(offset, chip->direction_map\);\n)/$1\t__assign_bit(offset, chip->value_map, test_bit(offset, chip->pull_map));\n/;
    s/(if \(!test_bit\(FLAG_REQUESTED, &desc->flags\) \|\|\n\s*)!test_bit\(FLAG_IS_OUT, &desc->flags\)\)\n(\s*__assign_bit\(offset, chip->value_map, value\);)/$1test_bit(offset, chip->direction_map))\n$2/;
' "$WORK/drivers/gpio/gpio-sim.c" >"$WORK/module/gpio-sim-main.c"
if ! grep -q 'value_map, test_bit(offset, chip->pull_map));' "$WORK/module/gpio-sim-main.c" \
    || [[ $(grep -c 'test_bit(offset, chip->direction_map))' "$WORK/module/gpio-sim-main.c") -ne 1 ]]; then
    echo "build-kernel: gpio-sim.c changed upstream; the open-drain change no longer applies" >&2
    exit 1
fi
cp "$WORK/drivers/gpio/gpiolib.h" "$WORK/module/gpiolib.h"
sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' \
    "$WORK/kernel/irq/irq_sim.c" >"$WORK/module/irq_sim.c"
if grep -q 'irq_to_desc' "$WORK/module/irq_sim.c" || ! grep -q 'generic_handle_irq(irqnum)' "$WORK/module/irq_sim.c"; then
    echo "build-kernel: irq_sim.c changed upstream; the irq_to_desc replacement no longer applies" >&2
    exit 1
fi
cat >"$WORK/module/Kbuild" <<'EOF'
obj-m := gpio-sim.o
gpio-sim-y := gpio-sim-main.o irq_sim.o
EOF
make -s -C "$HEADERS" M="$PWD/$WORK/module" modules >&2
strip --strip-debug -o "$OUT/gpio-sim.ko" "$WORK/module/gpio-sim.ko"
rm -rf "$WORK"
echo "$OUT"
