// swift-tools-version: 6.1
import PackageDescription

// Layering (docs/architecture.md): each target depends only on the ones above it in
// this list. The command line never imports GitKit or CLibGit2.
let package = Package(
    name: "webjcase",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "webjcase", targets: ["webjcase"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already in Hummingbird's graph; named for the types the hub service uses directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(name: "GitKit", dependencies: ["CLibGit2"]),
        .target(name: "CaseModel"),
        // The PKCS#11 calls that sign with a card: the module is loaded at run time (dlopen).
        .target(name: "CPKCS11", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            name: "CaseSigning",
            dependencies: [
                "CaseModel", "CPKCS11",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(name: "CaseRules", dependencies: ["CaseModel", "CaseSigning"]),
        // The strict YAML profile: both readers (webjcase's own style, libyaml's events), the
        // decoder and the writer.
        .target(name: "CaseYAML", dependencies: ["CaseModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "CaseStore", dependencies: ["GitKit", "CaseModel", "CaseSigning", "CaseRules", "CaseYAML"]),
        // The story `webjcase demo` plays, as data, and its checks.
        .target(name: "CaseDemo", dependencies: ["CaseModel", "CaseYAML"]),
        // Dossiers: one case, or every case and organization, as HTML or Markdown.
        .target(name: "CaseReport", dependencies: ["CaseStore", "CaseModel"]),
        // A node's sync round, whole: fetch, verify, replay, conflicts, personal store, clone.
        // GitKit only internally: no GitKit type appears in its API.
        .target(name: "CaseSync", dependencies: ["CaseStore", "CaseRules", "CaseModel", "CaseSigning", "CaseYAML", "GitKit"]),
        // The hub: serve (git's smart HTTP through git's own engine), access, layout, receipts,
        // personal-store checks, hub init. GitKit only internally.
        .target(
            name: "CaseHub",
            dependencies: [
                "CaseStore", "CaseRules", "CaseModel", "CaseSigning", "CaseYAML", "GitKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "webjcase",
            dependencies: [
                "CaseStore", "CaseSync", "CaseHub", "CaseReport", "CaseDemo", "CaseModel", "CaseSigning", "CaseYAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift run -c release webjcase-bench signatures`: envelope verification against raw
        // swift-crypto rates, measured in the same run.
        .executableTarget(
            name: "webjcase-bench",
            dependencies: [
                "CaseSigning", "CaseStore", "CaseYAML", "CaseModel", "GitKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Fuzz targets (`scripts/fuzz`): the functions, and libFuzzer's entry point around them.
        .target(name: "FuzzTargets", dependencies: ["CaseStore", "CaseYAML", "CaseSigning", "CaseModel", "GitKit"]),
        .executableTarget(name: "webjcase-fuzz", dependencies: ["FuzzTargets"]),
        .target(
            name: "TestSupport",
            dependencies: ["CaseStore", "CaseSigning", "CaseModel"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        .testTarget(name: "CaseModelTests", dependencies: ["CaseModel"]),
        .testTarget(
            name: "CaseSigningTests",
            dependencies: [
                "CaseSigning", "CaseModel", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            resources: [.copy("Vectors")]
        ),
        // CaseYAML for the office calendars of the deadline tests.
        .testTarget(name: "CaseRulesTests", dependencies: ["CaseRules", "CaseStore", "CaseYAML", "TestSupport"], resources: [.copy("Vectors")]),
        .testTarget(name: "CaseYAMLTests", dependencies: ["CaseYAML", "CaseModel", "TestSupport"]),
        .testTarget(name: "CaseStoreTests", dependencies: ["CaseStore", "CaseRules", "CaseYAML", "CaseReport", "GitKit", "TestSupport"]),
        .testTarget(name: "CaseHubTests", dependencies: ["CaseHub", "CaseStore", "CaseRules", "CaseYAML", "CaseModel", "GitKit", "TestSupport"]),
        .testTarget(name: "CaseDemoTests", dependencies: ["CaseDemo", "CaseModel", "CaseYAML", "TestSupport"]),
        .testTarget(name: "CaseSyncTests", dependencies: ["CaseSync", "CaseStore", "CaseModel", "CaseSigning", "GitKit", "TestSupport"]),
        .testTarget(name: "CaseReportTests", dependencies: ["CaseReport", "CaseStore", "CaseModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        // Every saved fuzz input (the seeds and each finding) through its target.
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzTargets", "TestSupport", "CaseStore", "CaseModel", "GitKit"], resources: [.copy("Inputs")]),
    ],
    swiftLanguageModes: [.v6]
)
