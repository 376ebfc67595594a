import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// The set-up's all-MiniLM-L6-v2 (Scripts/setup.sh puts it in Models/), loaded once for every test.
enum ModelFixture {
    static let directory = PretrainedModel.directory

    nonisolated(unsafe) private static var cached: SentenceEncoder?
    private static let lock = NSLock()

    static func encoder() throws -> SentenceEncoder {
        try PretrainedModel.require()
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let loaded = try SentenceEncoder(directory: directory)
        cached = loaded
        return loaded
    }
}
