import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// Loading Hugging Face directories: checkpoint keys with or without the `bert.` prefix, missing tensors.
final class ModelDirectoryTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func writeTinyModel(named name: String, prefix: String, dropping: String? = nil) throws -> String {
        let dir = scratch + "/" + name
        try TinyBert.write(to: dir, prefix: prefix, dropping: dropping)
        return dir
    }

    func testKeysLoadWithOrWithoutTheBertPrefix() throws {
        let plain = try SentenceEncoder(directory: writeTinyModel(named: "plain", prefix: ""))
        let prefixed = try SentenceEncoder(directory: writeTinyModel(named: "prefixed", prefix: "bert."))
        let texts = ["hello world", "a b hellos", ""]
        XCTAssertEqual(plain.embed(texts), prefixed.embed(texts))
        XCTAssertEqual(plain.maxLength, 16, "without sentence-transformers files, the model's positions bound the length")
        XCTAssertFalse(plain.normalize)
        XCTAssertTrue(plain.embed(["hello"])[0].allSatisfy { $0.isFinite })
    }

    func testMissingTensorIsNamedWithBothSpellings() throws {
        let dir = try writeTinyModel(named: "missing", prefix: "bert.", dropping: "encoder.layer.0.output.dense.bias")
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { error in
            XCTAssertEqual("\(error)", "\(dir)/model.safetensors: 'encoder.layer.0.output.dense.bias': missing tensor (also looked for bert.encoder.layer.0.output.dense.bias)")
        }
    }
}

