import Foundation
import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining
import TextTransferTestSupport

/// Whole training runs on a tiny model: determinism, freezing, the non-finite guard.
final class TrainingRunTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tiny-\(UUID().uuidString)"
        try TinyBert.write(to: directory)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    let batch = TokenBatch(ids: [2, 5, 6, 3, 0, 2, 8, 9, 7, 3, 2, 6, 3, 0, 0], typeIDs: [Int32](repeating: 0, count: 15),
                           lengths: [4, 5, 3], tokens: 5)
    let labels = [0, 1, 1]

    func train(seed: UInt64, steps: Int = 5, configure: (BertClassifier) -> Void = { _ in }) throws -> BertClassifier {
        let model = try BertClassifier(directory: directory, classes: 2, seed: seed)
        model.hiddenDropout = 0.1
        model.attentionDropout = 0.1
        configure(model)
        let optimizer = AdamW()
        for _ in 0..<steps { try model.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 1e-2) }
        return model
    }

    func weights(_ model: BertClassifier) -> [UInt32] {
        Array(UnsafeBufferPointer(start: model.store.values.pointer, count: model.store.count)).map(\.bitPattern)
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        let a = try train(seed: 42), b = try train(seed: 42)
        XCTAssertEqual(weights(a), weights(b))
        let c = try train(seed: 43)
        XCTAssertNotEqual(weights(a), weights(c), "another seed draws other dropout masks and head weights")
    }

    func testTrainingLowersTheLoss() throws {
        let model = try train(seed: 1, steps: 0)
        model.hiddenDropout = 0
        model.attentionDropout = 0
        let optimizer = AdamW()
        let first = try model.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 1e-2)
        var last = first
        for _ in 0..<30 { last = try model.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 1e-2) }
        XCTAssertLessThan(last, first * 0.5)
    }

    func testFrozenEncoderStaysBitIdentical() throws {
        let initial = try BertClassifier(directory: directory, classes: 2, seed: 3)
        let before = initial.store.parameters.filter { !$0.name.hasPrefix("classifier.") }.map { initial.store.value($0.name).values }
        let model = try train(seed: 3) { model in
            model.store.setTrainable(false, matching: "*")
            model.store.setTrainable(true, matching: "classifier.*")
        }
        let after = model.store.parameters.filter { !$0.name.hasPrefix("classifier.") }.map { model.store.value($0.name).values }
        XCTAssertEqual(before.map { $0.map(\.bitPattern) }, after.map { $0.map(\.bitPattern) })
        XCTAssertNotEqual(initial.store.value("classifier.weight").values, model.store.value("classifier.weight").values)
    }

    func testTopLayersOnlyLeaveEmbeddingsUntouched() throws {
        let initial = try BertClassifier(directory: directory, classes: 2, seed: 3)
        let model = try train(seed: 3) { $0.store.setTrainable(false, matching: "embeddings.*") }
        XCTAssertEqual(initial.store.value("embeddings.word_embeddings.weight").values, model.store.value("embeddings.word_embeddings.weight").values)
        XCTAssertNotEqual(initial.store.value("encoder.layer.0.output.dense.weight").values,
                          model.store.value("encoder.layer.0.output.dense.weight").values)
    }

    func testNonFiniteWeightsStopTrainingWithTheStep() throws {
        let model = try train(seed: 5, steps: 2)
        model.store.value("encoder.layer.0.intermediate.dense.weight").pointer[3] = .nan
        XCTAssertThrowsError(try model.trainStep(batch, labels: labels, optimizer: AdamW(), learningRate: 1e-2)) { error in
            guard case .nonFiniteLoss(step: 2, _) = error as? TrainingError else { return XCTFail("\(error)") }
        }
    }

    /// Hidden-state matching inside the step: with only the state loss (the logits' loss held at zero), the
    /// gradients the step leaves in the encoder are the finite differences of that loss.
    func testTheStateLossReachesTheEncoderAsItsFiniteDifference() throws {
        let model = try BertClassifier(directory: directory, classes: 2, seed: 5)
        (model.hiddenDropout, model.attentionDropout) = (0, 0)
        var generator = RandomGenerator(seed: 9)
        let width = model.heads[0].width
        let teacher = (0..<(3 * width)).map { _ in generator.nextNormal() }
        let noLogitLoss: BatchLoss = { logits in (0, [Float](repeating: 0, count: logits.count)) }
        let matching: BatchLoss = { pooled in
            let (l, g) = Distillation.hiddenStateLoss(student: pooled.map(Double.init), teacher: teacher.map(Double.init), width: width, weight: 0.7)
            return (Float(l), g.map(Float.init))
        }
        func loss() throws -> Float { try model.trainStep(batch, optimizer: SGD(), learningRate: 0, loss: noLogitLoss, stateLoss: matching) }
        XCTAssertGreaterThan(try loss(), 0)
        var checked = 0
        for name in ["embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.output.dense.bias"] {
            let value = model.store.value(name)
            let gradient = model.store.gradient(name).values
            for i in stride(from: 0, to: value.count, by: max(1, value.count / 6)) where gradient[i] != 0 || name.hasPrefix("encoder") {
                let saved = value.pointer[i]
                value.pointer[i] = saved + 1e-2
                let plus = try loss()
                value.pointer[i] = saved - 1e-2
                let minus = try loss()
                value.pointer[i] = saved
                let numeric = (plus - minus) / 2e-2
                XCTAssertEqual(gradient[i], numeric, accuracy: 2e-3 + 5e-2 * abs(numeric), "\(name)[\(i)]")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }
}
