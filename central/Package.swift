// swift-tools-version:6.1
import PackageDescription

// junction-central: the reference city side. A separate package so that hummingbird's long build stays out of
// every build of the junction daemon. It uses the daemon's wire protocol and model through the parent package.
let package = Package(
    name: "junction-central",
    products: [
        .executable(name: "junction-central", targets: ["junction-central"]),
    ],
    dependencies: [
        .package(name: "junctiond", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        // Already in the parent package at this version; the tests check Wire's tags against swift-crypto's own HMAC.
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        // /metrics in Prometheus text format: counters, gauges and the API's latency histogram.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    ],
    targets: [
        // recvmmsg, sendmmsg and sched_setaffinity, which need _GNU_SOURCE, behind plain C functions.
        .target(name: "CCentralLinux"),
        // Ingest, authentication through Wire, the store, live junction state and the city config: no HTTP.
        .target(
            name: "CentralCore",
            dependencies: [
                "CCentralLinux",
                .product(name: "SignalCore", package: "junctiond"),
                .product(name: "Wire", package: "junctiond"),
                .product(name: "SQLite", package: "junctiond"),
                .product(name: "JunctionConfig", package: "junctiond"),
                .product(name: "SystemInterface", package: "junctiond"),
                .product(name: "TOML", package: "junctiond"),
                .product(name: "Diagnostics", package: "junctiond"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web dashboard: routes, server-sent events and the embedded page.
        .target(
            name: "CentralWeb",
            dependencies: [
                "CentralCore",
                .product(name: "SignalCore", package: "junctiond"),
                .product(name: "Wire", package: "junctiond"),
                .product(name: "Diagnostics", package: "junctiond"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            plugins: [.plugin(name: "EmbedFiles", package: "junctiond")]
        ),
        .executableTarget(
            name: "junction-central",
            dependencies: [
                "CentralCore", "CentralWeb", .product(name: "BuildInfo", package: "junctiond"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CentralCoreTests",
            dependencies: [
                "CentralCore",
                .product(name: "Wire", package: "junctiond"),
                .product(name: "SignalCore", package: "junctiond"),
                .product(name: "SQLite", package: "junctiond"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "CentralWebTests",
            dependencies: [
                "CentralWeb", "CentralCore", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Wire", package: "junctiond"), .product(name: "SignalCore", package: "junctiond"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
