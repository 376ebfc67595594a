import Foundation
import XCTest

/// Paths of this target's fixtures and a temporary directory per test.
enum FixtureFiles {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// A new empty directory under the system's temporary directory, removed when `test` ends.
    static func temporaryDirectory(for test: XCTestCase) throws -> String {
        let dir = NSTemporaryDirectory() + "text-transfer-embeddings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
