#!/usr/bin/env bash
# The release build that the system tests, the QEMU guest and the Debian package share:
#
#   scripts/release-build.sh --product NAME [more swift build options]
#
# `swift build -c release --static-swift-stdlib` (the Swift runtime linked in, as on a board), run
# in a fixed environment. SwiftPM re-runs the EmbedFiles build-tool plugin whenever the environment
# differs from the last build's, which recompiles JunctionConfig and relinks every binary that uses
# it (measured: one extra variable cost a minute here). With the environment fixed, the release
# stage of scripts/test.sh and deploy/build-deb.sh see the same build, and the second one only
# checks it. Kept: what swift, the linker and git (for package resolution) read.
set -euo pipefail
cd "$(dirname "$0")/.."
environment=(PATH="$PATH" HOME="$HOME")
for name in TMPDIR GIT_SSL_CAINFO SSL_CERT_FILE http_proxy https_proxy no_proxy; do
    if [[ -n ${!name:-} ]]; then
        environment+=("$name=${!name}")
    fi
done
exec env -i "${environment[@]}" swift build -c release --static-swift-stdlib "$@"
