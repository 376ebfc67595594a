// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "TextTransfer",
    products: [
        .library(name: "TextTransfer", targets: ["TextTransfer"]),
        .executable(name: "text-transfer", targets: ["TextTransferCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // OpenBLAS through pkg-config (Debian: libopenblas-dev).
        .systemLibrary(
            name: "CTextTransferBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // ICU renames its symbols with version suffixes by macro, so Swift reaches it through C.
        .target(
            name: "_TextTransferICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]
        ),
        // Elementwise kernels compiled per instruction set (AVX-512, AVX2, baseline) and picked at load time.
        .target(name: "_TextTransferVectorKernels"),
        .target(
            name: "TextTransferCore",
            dependencies: ["CTextTransferBLAS", "_TextTransferVectorKernels", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(name: "TextTransferTokenization", dependencies: ["TextTransferCore", "_TextTransferICU"]),
        .target(name: "TextTransferIO", dependencies: ["TextTransferCore"]),
        .target(name: "TextTransferEmbeddings", dependencies: ["TextTransferCore", "TextTransferTokenization", "TextTransferIO"]),
        .target(name: "TextTransferEncoders", dependencies: ["TextTransferCore"]),
        .target(
            name: "TextTransferTraining",
            dependencies: ["TextTransferCore", "TextTransferEmbeddings", "TextTransferEncoders", "TextTransferIO", "TextTransferTokenization",
                           .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "TextTransfer",
            dependencies: ["TextTransferCore", "TextTransferIO", "TextTransferTokenization", "TextTransferEmbeddings", "TextTransferEncoders", "TextTransferTraining"]
        ),
        .executableTarget(
            name: "TextTransferCLI",
            dependencies: ["TextTransfer", "TextTransferCore", "TextTransferEmbeddings", "TextTransferEncoders", "TextTransferIO",
                           "TextTransferTokenization", "TextTransferTraining",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Helpers the test targets share: the repository, ../shared/data, fixture texts.
        .target(name: "TextTransferTestSupport", dependencies: ["TextTransferCore", "TextTransferIO"], path: "Tests/TextTransferTestSupport"),
        .testTarget(name: "TextTransferCoreTests", dependencies: ["TextTransferCore"]),
        .testTarget(
            name: "TextTransferTokenizationTests",
            dependencies: ["TextTransferCore", "TextTransferTokenization", "TextTransferTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TextTransferIOTests", dependencies: ["TextTransferCore", "TextTransferIO"]),
        .testTarget(
            name: "TextTransferEmbeddingsTests",
            dependencies: ["TextTransferCore", "TextTransferTokenization", "TextTransferEmbeddings", "TextTransferTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TextTransferTrainingTests",
            dependencies: ["TextTransferCore", "TextTransferEmbeddings", "TextTransferEncoders", "TextTransferIO", "TextTransferTokenization", "TextTransferTraining",
                           "TextTransferTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TextTransferCLITests", dependencies: ["TextTransferCLI", "TextTransferCore", "TextTransferIO", "TextTransferTestSupport"]),
        // Every parser as the fuzzer calls it; the regression test runs each committed crash input through it.
        .target(name: "TextTransferFuzzTargets", dependencies: ["TextTransferCore", "TextTransferEmbeddings", "TextTransferIO", "TextTransferTokenization",
                                                      "TextTransferTraining", "TextTransfer"], path: "Tools/fuzz/Targets"),
        .testTarget(name: "TextTransferFuzzTests", dependencies: ["TextTransferFuzzTargets"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TextTransferTests",
            dependencies: ["TextTransfer", "TextTransferCore", "TextTransferEmbeddings", "TextTransferEncoders", "TextTransferIO", "TextTransferTokenization", "TextTransferTraining",
                           "TextTransferTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer harness of every parser, only for Scripts/fuzz.sh (TEXTTRANSFER_FUZZ=1 with
// --sanitize=fuzzer): libFuzzer supplies its main, so an ordinary build could not link it.
if ProcessInfo.processInfo.environment["TEXTTRANSFER_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "TextTransferFuzz", dependencies: ["TextTransferFuzzTargets"], path: "Tools/fuzz/TextTransferFuzz",
                                             swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}

