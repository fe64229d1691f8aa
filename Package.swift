// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "junctiond",
    products: [
        .library(name: "SignalCore", targets: ["SignalCore"]),
        .library(name: "JunctionConfig", targets: ["JunctionConfig"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Store", targets: ["Store"]),
        .executable(name: "junctiond", targets: ["junctiond"]),
        .executable(name: "junction-bench", targets: ["junction-bench"]),
        .executable(name: "junctionctl", targets: ["junctionctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system.git", exact: "1.8.1"),
    ],
    targets: [
        // The controller: pure, deterministic, no I/O, no clocks, no Foundation.
        .target(name: "SignalCore"),
        // TOML junction files into validated SignalCore junctions.
        .target(
            name: "JunctionConfig",
            dependencies: ["SignalCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Ways of reaching the field: the protocols and the simulated junction.
        .target(name: "FieldIO", dependencies: ["SignalCore"]),
        // C libraries, each wrapped once by its backend target.
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .systemLibrary(name: "CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        // Detector cards and output modules over Modbus TCP and RTU (libmodbus).
        .target(name: "FieldModbus", dependencies: ["FieldIO", "SignalCore", "CModbus", "SystemInterface"]),
        // Loop detectors, lamp outputs and the watchdog line over GPIO (libgpiod v1).
        .target(name: "FieldGPIO", dependencies: ["FieldIO", "SignalCore", "CGPIOD", "SystemInterface"]),
        // The technicians' diagnostic socket: request/response types and the server.
        .target(name: "Diagnostics", dependencies: ["SignalCore"]),
        // The upstream datagrams (reports, polls, acks): formats, authentication, replay window. Pure.
        .target(name: "Wire", dependencies: ["SignalCore", .product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The event log and count bins in SQLite (WAL), with store-and-forward bookkeeping.
        .target(name: "Store", dependencies: ["CSQLite", "SignalCore"]),
        // The libFuzzer glue the fuzz-* executables share (empty unless built with -DFUZZING).
        .target(name: "FuzzDriver"),
        // libFuzzer driver for every Wire decoder (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-wire", dependencies: ["Wire", "FuzzDriver"]),
        // libFuzzer driver for the diagnostic protocol's decoders (built only with -DFUZZING).
        .executableTarget(name: "fuzz-diagnostics", dependencies: ["Diagnostics", "FuzzDriver"]),
        // AgentX (RFC 2741) PDUs and a read-only MIB view: bytes in, bytes out, no I/O (docs/snmp.md).
        .target(name: "AgentX"),
        // The NTCIP 1202 objects junctiond serves, built from a controller status. Pure.
        .target(name: "NTCIP", dependencies: ["AgentX", "SignalCore"]),
        // libFuzzer driver for the AgentX decoders (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-agentx", dependencies: ["AgentX", "FuzzDriver"]),
        // libFuzzer driver for the junction-file loader (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-config", dependencies: ["JunctionConfig", "FuzzDriver"]),
        // libFuzzer driver for the check of Modbus answers (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-modbus", dependencies: ["FieldModbus", "FuzzDriver"]),
        // The OS layer: every libc call of the daemon, wrapped once (EINTR retried, typed errors).
        .target(
            name: "SystemInterface",
            dependencies: [
                .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The daemon's OS side: real-time loop, systemd notify, signals.
        .target(
            name: "JunctionRuntime",
            dependencies: [
                "SignalCore", "JunctionConfig", "FieldIO", "FieldModbus", "FieldGPIO", "Diagnostics", "Wire", "Store",
                "AgentX", "NTCIP", "SystemInterface",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "junctiond",
            dependencies: [
                "JunctionRuntime", "JunctionConfig", "FieldIO", "SignalCore", "FieldModbus", "FieldGPIO",
                "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "junctionctl",
            dependencies: [
                "Diagnostics", "SignalCore", "JunctionConfig", "SystemInterface",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Counts heap allocations for the benchmarks by wrapping malloc; linked only into junction-bench.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "junction-bench",
            dependencies: [
                "SignalCore", "JunctionConfig", "CMallocCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SignalCoreTests",
            dependencies: [
                "SignalCore", "JunctionConfig", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "JunctionConfigTests", dependencies: ["JunctionConfig", "SignalCore"]),
        .testTarget(name: "FieldIOTests", dependencies: ["FieldIO", "SignalCore"]),
        .testTarget(
            name: "JunctionRuntimeTests", dependencies: ["JunctionRuntime", "SystemInterface", "SignalCore", "FieldIO"]
        ),
        .testTarget(name: "SystemInterfaceTests", dependencies: ["SystemInterface"]),
        .testTarget(name: "FieldModbusTests", dependencies: ["FieldModbus", "FieldIO", "SignalCore"]),
        .testTarget(name: "FieldGPIOTests", dependencies: ["FieldGPIO", "FieldIO", "SignalCore"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "SignalCore"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "SignalCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "SignalCore"]),
        .testTarget(name: "AgentXTests", dependencies: ["AgentX", "NTCIP", "SignalCore"]),
    ]
)
