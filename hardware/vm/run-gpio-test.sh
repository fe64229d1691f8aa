#!/usr/bin/env bash
# Runs the GPIO hardware-in-the-loop test: junctiond on Debian 12's own kernel in a QEMU guest
# (TCG; no KVM needed), talking through libgpiod to gpio-sim chips that the guest's scenario
# drives and reads (hardware/vm/guest/scenario.sh). Writes the guest's serial console to the log
# named by the first argument (default .build-vm/gpio-console.log); SystemTests/system/test_gpio_vm.py
# runs this and checks the log.
#
# Pieces, cached under .build-vm/ (git-ignored) so a second run only repacks the initramfs:
#   kernel/<abi>/   vmlinuz, configfs.ko, gpio-sim.ko          (hardware/vm/build-kernel.sh)
#   initramfs-gpio/ busybox, the modules, junctiond with the shared libraries ldd names, the
#                   junction file, /init and the scenario
# junctiond is built with --static-swift-stdlib (scratch .build-gpio), so the guest needs only
# libc, libstdc++ and the C libraries beside it.
#
# Environment:
#   JUNCTIOND_VM_LIBGPIOD 1 (default: Debian 12's libgpiod 1.6) or 2 (libgpiod 2.x, built from
#                         Debian 13's source by scripts/build-libgpiod2.sh into /opt/libgpiod2);
#                         junctiond is built against it (scratch .build-gpio-libgpiod2 for 2)
#   JUNCTIOND_VM_BINARY   use this junctiond instead of building one (it must link that libgpiod)
#   JUNCTIOND_VM_TIMEOUT  seconds the guest may run (default 300)
#   --build-only          build junctiond and stop (CI builds outside the test's time limit)
# Needs (apt): qemu-system-x86 (on arm64: qemu-system-arm), busybox-static, cpio, and what
# build-kernel.sh lists.
set -euo pipefail
cd "$(dirname "$0")/../.."

LIBGPIOD="${JUNCTIOND_VM_LIBGPIOD:-1}"
[[ $LIBGPIOD == [12] ]] || { echo "run-gpio-test: JUNCTIOND_VM_LIBGPIOD is 1 or 2, not $LIBGPIOD" >&2; exit 2; }
BINARY="${JUNCTIOND_VM_BINARY:-}"
if [[ -z "$BINARY" ]]; then
    built=$(date +%s)
    case $LIBGPIOD in
        1)
            swift build -c release --static-swift-stdlib --scratch-path .build-gpio --product junctiond >&2
            BINARY=.build-gpio/release/junctiond
            ;;
        2)
            # pkg-config's libgpiod from the private prefix picks the shim's 2.x side and the library;
            # the rpath lets junctiond (and ldd below) find libgpiod.so.3 outside the loader's path.
            prefix=$(bash scripts/build-libgpiod2.sh)
            PKG_CONFIG_PATH="$prefix/lib/pkgconfig" swift build -c release --static-swift-stdlib \
                --scratch-path .build-gpio-libgpiod2 --product junctiond -Xlinker -rpath -Xlinker "$prefix/lib" >&2
            BINARY=.build-gpio-libgpiod2/release/junctiond
            ;;
    esac
    echo "run-gpio-test: junctiond built against libgpiod $LIBGPIOD in $(($(date +%s) - built)) s" >&2
fi
# libgpiod 1.6 is libgpiod.so.2, 2.x is libgpiod.so.3: refuse a binary of the other one.
gpiod_library=$(ldd "$BINARY" | awk '/libgpiod\.so/ { print $3 }')
if [[ $gpiod_library != *libgpiod.so.$((LIBGPIOD + 1)) ]]; then
    echo "run-gpio-test: $BINARY uses ${gpiod_library:-no libgpiod}, not libgpiod $LIBGPIOD" >&2
    exit 1
fi
echo "run-gpio-test: junctiond uses $gpiod_library (libgpiod $LIBGPIOD)" >&2
[[ ${1:-} == --build-only ]] && exit 0

CONSOLE_LOG="${1:-.build-vm/gpio-console.log}"
TIMEOUT="${JUNCTIOND_VM_TIMEOUT:-300}"
mkdir -p .build-vm "$(dirname "$CONSOLE_LOG")"

started=$(date +%s)
KERNEL_DIR=$(bash hardware/vm/build-kernel.sh)
echo "run-gpio-test: kernel pieces ready in $(($(date +%s) - started)) s ($KERNEL_DIR)" >&2

ROOTFS=.build-vm/initramfs-gpio
rm -rf "$ROOTFS"
mkdir -p "$ROOTFS"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
cp /bin/busybox "$ROOTFS/bin/busybox"
cp "$KERNEL_DIR/configfs.ko" "$KERNEL_DIR/gpio-sim.ko" "$ROOTFS/lib/modules/"
strip -o "$ROOTFS/junctiond" "$BINARY"
# The loader and every library ldd names, at the paths the binary looks for them.
for library in $(ldd "$BINARY" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'); do
    mkdir -p "$ROOTFS$(dirname "$library")"
    cp -L "$library" "$ROOTFS$library"
done
cp hardware/vm/guest/init "$ROOTFS/init"
cp hardware/vm/guest/scenario.sh "$ROOTFS/scenario.sh"
cp hardware/junctions/t-junction-gpio.toml "$ROOTFS/t-junction-gpio.toml"
chmod +x "$ROOTFS/init" "$ROOTFS/scenario.sh"
# Uncompressed: under TCG the guest copies a plain cpio faster than it would inflate a gzip.
(cd "$ROOTFS" && find . | cpio -o -H newc --quiet) >.build-vm/initramfs-gpio.cpio

guest=$(date +%s)
status=0
# The guest has the host's architecture (the binary under test runs in it). Only amd64 has run
# here; the arm64 line is QEMU's standard arm64 machine, untested (docs: deploy/README.md).
case $(dpkg --print-architecture) in
    amd64) emulator=(qemu-system-x86_64) console=ttyS0 ;;
    arm64) emulator=(qemu-system-aarch64 -machine virt -cpu max) console=ttyAMA0 ;;
    *) echo "run-gpio-test: no guest machine for $(dpkg --print-architecture)" >&2; exit 1 ;;
esac
timeout --foreground "$TIMEOUT" "${emulator[@]}" \
    -accel tcg -smp 2 -m 1024 -nographic -no-reboot \
    -kernel "$KERNEL_DIR/vmlinuz" -initrd .build-vm/initramfs-gpio.cpio \
    -append "console=$console quiet panic=-1" </dev/null >"$CONSOLE_LOG" 2>&1 || status=$?
echo "run-gpio-test: guest ran $(($(date +%s) - guest)) s (exit $status), total $(($(date +%s) - started)) s;" \
    "console in $CONSOLE_LOG" >&2
exit "$status"
