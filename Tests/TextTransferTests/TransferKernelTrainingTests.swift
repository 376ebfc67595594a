import Foundation
import XCTest
@testable import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTestSupport
import TextTransferTraining

/// `train --strategy transfer-kernel`'s classifier saves as an ordinary directory, and what `TextClassifier`
/// reads back predicts exactly what the fitted kernel did on dev (on the tiny model).
final class TransferKernelTrainingTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "transfer-kernel-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/model")
        // As Hugging Face checkpoints have it: an I64 buffer beside the F32 weights, which the saved
        // classifier must carry over as it is.
        let file = scratch + "/model/model.safetensors"
        let reader = try SafetensorsReader(path: file)
        var tensors: [String: Tensor] = [:]
        for name in reader.names { tensors[name] = try reader.tensor(name) }
        let ids = (0..<16).flatMap { withUnsafeBytes(of: Int64($0).littleEndian, Array.init) }
        try SafetensorsWriter.write(tensors, storedTensors: ["embeddings.position_ids": .init(dtype: .i64, shape: [1, 16], bytes: ids)], to: file)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func examples(_ rows: [(String, String)]) -> [LabeledExample] {
        rows.enumerated().map { LabeledExample(text: $1.0, label: $1.1, line: $0 + 2) }
    }

    func testTheSavedClassifierPredictsWhatTheKernelDid() throws {
        let words = ["hello", "world", "a", "b", "hellos"]
        var source: [(String, String)] = [], target: [String] = [], dev: [(String, String)] = []
        for i in 0..<40 {
            let text = (0..<(1 + i % 4)).map { words[($0 * 3 + i) % words.count] }.joined(separator: " ")
            source.append((text, text.contains("hello") ? "pos" : "neg"))
            target.append(text + " b")
            if i % 2 == 0 { dev.append((text + " a", text.contains("hello") ? "pos" : "neg")) }
        }
        var settings = TransferKernelClassifier.Settings()
        (settings.landmarks, settings.mus, settings.components) = (12, [1], [2, 4])
        let run = try TransferKernelTraining(source: examples(source), target: target, dev: examples(dev), model: scratch + "/model", settings: settings)
        XCTAssertEqual(run.result.candidates.count, 3, "no adaptation and two component counts")
        XCTAssertEqual(run.result.devExamples, 20)
        try run.save(to: scratch + "/out")

        let saved = try SafetensorsReader(path: scratch + "/out/model.safetensors")
        XCTAssertEqual(saved.entries["embeddings.position_ids"]?.dtype, .i64, "the encoder's buffer is carried over as stored")
        let classifier = try TextClassifier(directory: scratch + "/out")
        XCTAssertEqual(classifier.labels, ["neg", "pos"])
        let kernel = try XCTUnwrap(classifier.description.kernel)
        XCTAssertEqual(kernel.chosen.components, run.result.chosen.components)
        XCTAssertEqual(kernel.bandwidthScale, run.result.bandwidthScale, "the saved description says which bandwidth was chosen")
        XCTAssertEqual(run.result.bandwidths.map(\.scale), [1, 0.5, 2])
        let predicted = classifier.predict(dev.map(\.0)).map(\.label)
        let report = ClassificationReport(gold: dev.map { $0.1 == "pos" ? 1 : 0 }, predicted: predicted.map { $0 == "pos" ? 1 : 0 }, labels: ["neg", "pos"])
        XCTAssertEqual(Set(predicted).count, 2, "both classes are predicted, so agreeing means something")
        XCTAssertEqual(report.confusion, run.result.transferKernel.confusion, "the saved classifier answers as the fitted kernel did")
        XCTAssertTrue(classifier.predict(["hello"])[0].probabilities.allSatisfy { $0.isFinite })

        XCTAssertThrowsError(try HuggingFaceExport.write(.huggingFace, from: scratch + "/out", to: scratch + "/hf")) {
            XCTAssertTrue("\($0)".contains("transfer-kernel"), "\($0)")
        }
    }

    /// Over a model `quantize` wrote, the classifier keeps the model's int8 weights in a file named for
    /// them, loads in int8 as the features were computed, and so answers as the fitted kernel did.
    func testAClassifierOverAQuantizedModelKeepsItsPrecision() throws {
        try FileManager.default.createDirectory(atPath: scratch + "/int8", withIntermediateDirectories: true)
        _ = try ModelQuantization.write(from: scratch + "/model", precision: .int8, to: scratch + "/int8")
        let words = ["hello", "world", "a", "b", "hellos"]
        var source: [(String, String)] = [], target: [String] = [], dev: [(String, String)] = []
        for i in 0..<40 {
            let text = (0..<(1 + i % 4)).map { words[($0 * 2 + i) % words.count] }.joined(separator: " ")
            source.append((text, text.contains("hello") ? "pos" : "neg"))
            target.append("a " + text)
            if i % 2 == 1 { dev.append((text + " b", text.contains("hello") ? "pos" : "neg")) }
        }
        var settings = TransferKernelClassifier.Settings()
        (settings.landmarks, settings.mus, settings.components) = (12, [1], [4])
        let run = try TransferKernelTraining(source: examples(source), target: target, dev: examples(dev), model: scratch + "/int8", settings: settings)
        try run.save(to: scratch + "/out")

        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/out/model.safetensors"), "no fp32-named file holds int8 weights")
        let saved = try SafetensorsReader(path: scratch + "/out/model.int8.safetensors")
        XCTAssertEqual(saved.metadata["text_transfer_precision"], "int8")
        XCTAssertTrue(saved.entries.values.contains { $0.dtype == .i8 }, "the encoder's int8 weights, as quantize stored them")
        let classifier = try TextClassifier(directory: scratch + "/out")
        let predicted = classifier.predict(dev.map(\.0)).map(\.label)
        let report = ClassificationReport(gold: dev.map { $0.1 == "pos" ? 1 : 0 }, predicted: predicted.map { $0 == "pos" ? 1 : 0 }, labels: ["neg", "pos"])
        XCTAssertEqual(report.confusion, run.result.transferKernel.confusion, "the saved classifier answers as the fitted kernel did")
    }

    func testADamagedKernelTensorIsNamedByFileAndTensor() throws {
        let source = examples([("hello", "pos"), ("world", "neg"), ("hello a", "pos"), ("world b", "neg"), ("a hello", "pos"), ("b world", "neg")])
        var settings = TransferKernelClassifier.Settings()
        (settings.landmarks, settings.mus, settings.components) = (4, [1], [2])
        try TransferKernelTraining(source: source, target: ["a b", "hello b", "world a"], dev: source, model: scratch + "/model", settings: settings)
            .save(to: scratch + "/out")
        // The whitening matrix cut to the wrong shape, everything else as saved.
        let file = scratch + "/out/model.safetensors"
        let reader = try SafetensorsReader(path: file)
        var tensors: [String: Tensor] = [:], stored: [String: SafetensorsWriter.StoredTensor] = [:]
        for (name, entry) in reader.entries {
            if entry.dtype == .f32 { tensors[name] = try reader.tensor(name) } else {
                stored[name] = .init(dtype: entry.dtype, shape: entry.shape, bytes: Array(reader.storedBytes(name)!))
            }
        }
        tensors[KernelHead.whiteningName] = Tensor(shape: [2, 2], values: [1, 0, 0, 1])
        try SafetensorsWriter.write(tensors, storedTensors: stored, to: file)
        XCTAssertThrowsError(try TextClassifier(directory: scratch + "/out")) {
            XCTAssertTrue("\($0)".hasPrefix(file + ": 'kernel.whitening': shape [2, 2] should be"), "\($0)")
        }
    }

    func testADevLabelTheSourceLacksIsNamed() {
        let source = examples([("hello", "pos"), ("world", "neg"), ("a", "neg"), ("b", "pos")])
        XCTAssertThrowsError(try TransferKernelTraining(source: source, target: ["a b", "hello"], dev: examples([("a", "neutral")]), model: scratch + "/model")) {
            XCTAssertTrue("\($0)".contains("neutral"), "\($0)")
        }
    }
}
