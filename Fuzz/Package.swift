// swift-tools-version:6.0
// Coverage-guided fuzzing of UngCuu's parsers of outside input (see docs/FUZZING.md).
// A separate package so the main one is untouched: Domain, Formats and Detection are symlinks to the real sources,
// and `ungcuu-fuzz` drives libFuzzer itself. Build and run it with scripts/fuzz.sh, which passes the
// sanitizer, coverage and libFuzzer link flags (SwiftPM's -sanitize=fuzzer does not link executables).
import PackageDescription

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "UngCuuFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "Domain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Formats",
            dependencies: ["Domain", .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Detection",
            dependencies: ["Domain", "Formats", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ungcuu-fuzz",
            dependencies: ["Domain", "Formats", "Detection", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
    ]
)
