import Foundation
import XCTest
import TextTransfer
import TextTransferIO

/// `HuggingFaceExport` against transformers and sentence-transformers, without Python: the committed
/// classifiers (each pooling, the softmax, multi-label and ordinal heads) were exported by
/// Tools/golden/make_export_fixtures.py, loaded by transformers 5.24.0 and sentence-transformers 6.2.0,
/// and their logits and embeddings of 200 real sentences recorded with a digest of every exported file.
/// Here: our logits and features equal theirs, and exporting again writes exactly the bytes they loaded.
final class HuggingFaceExportTests: XCTestCase {
    struct Fixture: Decodable {
        struct Classifier: Decodable {
            let hf_logits: [[Float]]
            let hf_class: String
            let hf_digests: [String: String]
            let st_embeddings: [[Float]]
            let st_digests: [String: String]
        }
        let texts: [String]
        let classifiers: [String: Classifier]
        let refusal: String?
    }

    func testExportsComputeWhatTransformersAndSentenceTransformersComputed() throws {
        let root = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/export").path
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/export_parity.json")))
        XCTAssertEqual(fixture.classifiers.count, 6)
        XCTAssertNotNil(fixture.refusal, "transformers refuses a classifier directory as train saved it")
        let scratch = NSTemporaryDirectory() + "export-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for (name, expected) in fixture.classifiers.sorted(by: { $0.key < $1.key }) {
            let classifier = try TextClassifier(directory: root + "/classifiers/" + name)
            let logits = classifier.logits(fixture.texts)
            XCTAssertLessThanOrEqual(maxDifference(logits, expected.hf_logits), 1e-4, "\(name): logits against \(expected.hf_class)")
            let features = try XCTUnwrap(classifier.features(fixture.texts))
            XCTAssertGreaterThanOrEqual(minCosine(features, expected.st_embeddings), 0.99999, "\(name): features against sentence-transformers")
            XCTAssertEqual(expected.hf_class == "BertForSequenceClassification", classifier.pooling == .pooler && !classifier.head.normalize
                && classifier.head.kind != .ordinal, "\(name): transformers' own class exactly when it computes the same")
            for (format, digests) in [(HuggingFaceExport.Format.huggingFace, expected.hf_digests), (.sentenceTransformers, expected.st_digests)] {
                let out = scratch + "/\(name)-\(format.rawValue)"
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try HuggingFaceExport.write(format, from: root + "/classifiers/" + name, to: out)
                XCTAssertEqual(try fileDigests(out), digests, "\(name) \(format.rawValue): the export is the one transformers loaded")
            }
        }
    }

    func testOnlyTransformerClassifiersExportAndTheTaskOfAMultiTaskOneIsChosen() throws {
        let root = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/export").path
        let out = NSTemporaryDirectory() + "export-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        XCTAssertThrowsError(try HuggingFaceExport.write(.huggingFace, from: root + "/classifiers/mean_softmax", task: "sentiment", to: out)) {
            XCTAssertTrue("\($0)".contains("text_transfer.json") && "\($0)".contains("single-task"), "\($0)")
        }
        let summary = try HuggingFaceExport.write(.huggingFace, from: root + "/classifiers/pooler_softmax", to: out)
        XCTAssertEqual(summary.loadsWith, "AutoModelForSequenceClassification.from_pretrained(DIR)")
        let config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))) as? [String: Any])
        XCTAssertEqual(config["model_type"] as? String, "bert")
        XCTAssertNil(config["text_transfer"], "the classifier's mark is taken off")
        XCTAssertEqual((config["id2label"] as? [String: String])?.count, 2)
        XCTAssertEqual(try SafetensorsReader(path: out + "/model.safetensors").metadata["format"], "pt")
    }

    private func maxDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? .infinity }.max() ?? .infinity
    }

    private func minCosine(_ a: [[Float]], _ b: [[Float]]) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { x, y in
            let dot = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let nx = x.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot(), ny = y.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            return dot / max(nx * ny, 1e-12)
        }.min() ?? 0
    }

    /// FNV-1a 64 of every file under `directory` but the export marker, as the fixture script digests them.
    private func fileDigests(_ directory: String) throws -> [String: String] {
        var digests: [String: String] = [:]
        let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: directory))
        for file in files where file != HuggingFaceExport.markerFile {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            var hash: UInt64 = 0xcbf29ce484222325
            for byte in try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)) { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            digests[file] = String(format: "%016lx", hash)
        }
        return digests
    }
}
