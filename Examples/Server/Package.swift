// swift-tools-version:6.0
// An HTTP server for a TextTransfer classifier and sentence encoder: a separate package, so that the library
// itself never depends on a web framework.
import PackageDescription

let package = Package(
    name: "TextTransferServer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TextTransfer", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "TextTransferServer",
            dependencies: [
                .product(name: "TextTransfer", package: "TextTransfer"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
