// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "junctiond",
    products: [
        .library(name: "SignalCore", targets: ["SignalCore"]),
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "JunctionConfig", targets: ["JunctionConfig"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "SystemInterface", targets: ["SystemInterface"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "SQLite", targets: ["SQLite"]),
        .library(name: "Coordination", targets: ["Coordination"]),
        // The diagnostic protocol's words (event, aspect and reason names), so junction-central says the same.
        .library(name: "Diagnostics", targets: ["Diagnostics"]),
        .executable(name: "junctiond", targets: ["junctiond"]),
        .executable(name: "junction-bench", targets: ["junction-bench"]),
        .executable(name: "junctionctl", targets: ["junctionctl"]),
        .plugin(name: "EmbedFiles", targets: ["EmbedFiles"]),
        .library(name: "BuildInfo", targets: ["BuildInfo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-system.git", exact: "1.8.1"),
    ],
    targets: [
        // Embeds the files a target lists in its embed-files.txt as string constants at build time (no Bundle).
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesGenerator"]),
        .executableTarget(name: "EmbedFilesGenerator", path: "Plugins/EmbedFilesGenerator"),
        // Records VERSION and the git commit at build time (see Plugins/BuildVersion).
        .plugin(name: "BuildVersion", capability: .buildTool()),
        // The package version and commit every binary's --version prints.
        .target(name: "BuildInfo", plugins: ["BuildVersion"]),
        // The controller: pure, deterministic, no I/O, no clocks, no Foundation.
        .target(name: "SignalCore"),
        // A TOML 1.0 parser with source positions, and the one typed key reader. Standard library only.
        .target(name: "TOML"),
        // TOML junction files into validated SignalCore junctions.
        .target(
            name: "JunctionConfig",
            dependencies: ["SignalCore", "Diagnostics", "FieldIO", "TOML", "SystemInterface", .product(name: "SystemPackage", package: "swift-system")],
            plugins: ["EmbedFiles"]
        ),
        // Ways of reaching the field: the protocols and the simulated junction.
        .target(name: "FieldIO", dependencies: ["SignalCore"]),
        // C libraries, each wrapped once by its backend target.
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .systemLibrary(name: "CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        // The one C shim over libgpiod 1.6 and 2.x, whichever pkg-config's libgpiod is (docs/gpio.md).
        .target(name: "CGPIOShim", dependencies: ["CGPIOD"]),
        // Detector cards and output modules over Modbus TCP and RTU (libmodbus).
        .target(name: "FieldModbus", dependencies: ["FieldIO", "SignalCore", "CModbus", "SystemInterface"]),
        // Loop detectors, lamp outputs and the watchdog line over GPIO (libgpiod 1.6 or 2.x).
        .target(name: "FieldGPIO", dependencies: ["FieldIO", "SignalCore", "CGPIOShim", "SystemInterface"]),
        // The technicians' diagnostic socket: request/response types and the server.
        .target(name: "Diagnostics", dependencies: ["SignalCore"]),
        // The upstream datagrams (reports, polls, acks): formats, authentication, replay window. Pure.
        .target(name: "Wire", dependencies: ["SignalCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The neighbour exchange (projected outflow out, announced arrivals in) for the daemon and the bench.
        .target(name: "Coordination", dependencies: ["SignalCore", "Wire", "JunctionConfig"]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The one wrapper of SQLite's C API, for the junction's store and central's.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // The event log and count bins (Wire's record types) in SQLite (WAL), with store-and-forward bookkeeping.
        .target(name: "Store", dependencies: ["SQLite", "Wire"]),
        // The libFuzzer glue and entry point the fuzz-* executables share (drives libFuzzer only with -DFUZZING).
        .target(name: "FuzzDriver"),
        // libFuzzer driver for every Wire decoder (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-wire", dependencies: ["Wire", "SignalCore", "FuzzDriver"]),
        // libFuzzer driver for the diagnostic protocol's decoders (built only with -DFUZZING).
        .executableTarget(name: "fuzz-diagnostics", dependencies: ["Diagnostics", "FuzzDriver"]),
        // AgentX (RFC 2741) PDUs and a read-only MIB view: bytes in, bytes out, no I/O (docs/snmp.md).
        .target(name: "AgentX"),
        // The NTCIP 1202 objects junctiond serves, built from a controller status. Pure.
        .target(name: "NTCIP", dependencies: ["AgentX", "SignalCore"]),
        // libFuzzer driver for the AgentX decoders (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-agentx", dependencies: ["AgentX", "FuzzDriver"]),
        // libFuzzer driver for the junction-file loader (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-config", dependencies: ["JunctionConfig", "TOML", "FuzzDriver"]),
        // libFuzzer driver for the check of Modbus answers (built only with -DFUZZING; see SystemTests/fuzz).
        .executableTarget(name: "fuzz-modbus", dependencies: ["FieldModbus", "FuzzDriver"]),
        // Ordered start, reverse stop and rollback for the daemon's non-real-time services (threads, not tasks).
        .target(name: "Lifecycle"),
        // sys/timex.h (adjtimex), which Glibc's module leaves out: the clock's synchronisation state.
        .systemLibrary(name: "CClock"),
        // The daemon's OS layer: every libc call (Syscall), threads, wake pipes, signals, systemd notify.
        .target(
            name: "SystemInterface",
            dependencies: ["CClock", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // The real-time side: the loop thread, the engine's tick, the field backends it opens, the watchdog feeder.
        .target(
            name: "RealTimeEngine",
            dependencies: [
                "SignalCore", "JunctionConfig", "FieldIO", "FieldModbus", "FieldGPIO", "SystemInterface", "Coordination",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The technicians' diagnostic socket server (the protocol itself is in Diagnostics).
        .target(
            name: "DiagnosticService",
            dependencies: [
                "Diagnostics", "SignalCore", "FieldIO", "JunctionConfig", "RealTimeEngine", "SystemInterface",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Reports, polls and acks to the city over UDP, and the store writer behind them.
        .target(
            name: "UpstreamLink",
            dependencies: [
                "Diagnostics", "SignalCore", "JunctionConfig", "Store", "Wire", "RealTimeEngine", "SystemInterface",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The NTCIP 1202 AgentX subagent's session with snmpd.
        .target(
            name: "SNMPAgent",
            dependencies: [
                "AgentX", "NTCIP", "Diagnostics", "SignalCore", "JunctionConfig", "RealTimeEngine", "SystemInterface",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The wiring: the daemon's startup, supervision, reload, fault record, logging and console view.
        .target(
            name: "JunctionRuntime",
            dependencies: [
                "SignalCore", "JunctionConfig", "FieldIO", "Diagnostics", "SystemInterface", "RealTimeEngine",
                "DiagnosticService", "UpstreamLink", "SNMPAgent", "Lifecycle", "Coordination", "Wire",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "junctiond",
            dependencies: [
                "JunctionRuntime", "JunctionConfig", "SystemInterface", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "junctionctl",
            dependencies: [
                "Diagnostics", "SignalCore", "JunctionConfig", "SystemInterface", "BuildInfo",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Counts heap allocations by wrapping malloc: junction-bench and the tick allocation test link it.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "junction-bench",
            dependencies: [
                "SignalCore", "JunctionConfig", "TOML", "FieldIO", "CMallocCounter", "SystemInterface", "Coordination",
                "Wire", "BuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SignalCoreTests",
            dependencies: [
                "SignalCore", "JunctionConfig", "FieldIO",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"], exclude: ["tomllib_canonical.py"]),
        .testTarget(
            name: "JunctionConfigTests",
            dependencies: ["JunctionConfig", "SignalCore", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "FieldIOTests", dependencies: ["FieldIO", "SignalCore"]),
        // What the runtime tests share: a notify socket listener, a capturing log handler, a bounded wait.
        .target(
            name: "RuntimeTestSupport",
            dependencies: ["SystemInterface", .product(name: "Logging", package: "swift-log")],
            path: "Tests/RuntimeTestSupport"
        ),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle"]),
        .testTarget(
            name: "DiagnosticServiceTests",
            dependencies: [
                "DiagnosticService", "RealTimeEngine", "SystemInterface", "RuntimeTestSupport", "Diagnostics", "SignalCore",
                "FieldIO", "JunctionConfig",
            ]
        ),
        .testTarget(name: "SystemInterfaceTests", dependencies: ["SystemInterface", "RuntimeTestSupport"]),
        .testTarget(
            name: "UpstreamLinkTests",
            dependencies: [
                "UpstreamLink", "SystemInterface", "RuntimeTestSupport", "Wire", "Store", "SignalCore", "JunctionConfig",
                "RealTimeEngine", "FieldIO", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RealTimeEngineTests",
            dependencies: [
                "RealTimeEngine", "SystemInterface", "RuntimeTestSupport", "SignalCore", "FieldIO", "FieldModbus", "FieldGPIO",
                "JunctionConfig", "CMallocCounter", "Coordination",
            ]
        ),
        .testTarget(
            name: "JunctionRuntimeTests",
            dependencies: ["JunctionRuntime", "RealTimeEngine", "SystemInterface", "RuntimeTestSupport", "SignalCore", "FieldIO", "JunctionConfig"]
        ),
        .testTarget(name: "FieldModbusTests", dependencies: ["FieldModbus", "FieldIO", "SignalCore"]),
        .testTarget(name: "FieldGPIOTests", dependencies: ["FieldGPIO", "FieldIO", "SignalCore"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "SignalCore", "FieldIO"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "SignalCore"]),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination", "SignalCore", "Wire", "JunctionConfig", "CMallocCounter"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "SQLite", "Wire"]),
        .testTarget(name: "AgentXTests", dependencies: ["AgentX", "NTCIP", "SignalCore"]),
        // junctionctl's text: the watch view at 80x24, command suggestions, the junction file's words.
        .testTarget(name: "junctionctlTests", dependencies: ["junctionctl", "Diagnostics", "JunctionConfig", "SignalCore"]),
    ]
)
