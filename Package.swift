// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "junctiond",
    products: [
        .library(name: "SignalCore", targets: ["SignalCore"]),
        .library(name: "JunctionConfig", targets: ["JunctionConfig"]),
        .executable(name: "junctiond", targets: ["junctiond"]),
        .executable(name: "junction-bench", targets: ["junction-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
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
        // The daemon's OS side: real-time loop, systemd notify, signals.
        .target(
            name: "JunctionRuntime",
            dependencies: [
                "SignalCore", "JunctionConfig", "FieldIO",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "junctiond",
            dependencies: [
                "JunctionRuntime", "JunctionConfig", "FieldIO", "SignalCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
            dependencies: ["SignalCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "JunctionConfigTests", dependencies: ["JunctionConfig", "SignalCore"]),
        .testTarget(name: "FieldIOTests", dependencies: ["FieldIO", "SignalCore"]),
        .testTarget(name: "JunctionRuntimeTests", dependencies: ["JunctionRuntime", "SignalCore"]),
    ]
)
