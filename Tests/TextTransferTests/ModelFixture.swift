import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// The set-up's all-MiniLM-L6-v2 (Scripts/setup.sh puts it in Models/), loaded once for every test.
enum ModelFixture {
    static let directory = SharedData.repository.appendingPathComponent("Models/all-MiniLM-L6-v2").path

    nonisolated(unsafe) private static var cached: SentenceEncoder?
    private static let lock = NSLock()

    static func encoder() throws -> SentenceEncoder {
        guard FileManager.default.fileExists(atPath: directory + "/model.safetensors") else {
            throw XCTSkip("all-MiniLM-L6-v2 is not in Models/: run Scripts/setup.sh (CI always does)")
        }
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let loaded = try SentenceEncoder(directory: directory)
        cached = loaded
        return loaded
    }
}
