import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining
import TextTransferTestSupport

/// The ordinal (CORAL-style) head: decoding, probabilities, gradients, and a whole run.
final class OrdinalHeadTests: XCTestCase {
    let head = ClassificationHead(kind: .ordinal, classes: 4, width: 3)

    func testDecodingAndProbabilitiesByHand() {
        XCTAssertEqual(head.outputs, 3)
        XCTAssertEqual(head.predictedClass([2.0, 0.5, -1.0]), 2, "two thresholds passed")
        XCTAssertEqual(head.predictedClass([-1.0, -2.0, -3.0]), 0)
        let p = head.probabilities([0.0, 0.0, 0.0][...])  // P(y > k) = ½ for every k: all mass on the ends
        XCTAssertEqual(p, [0.5, 0, 0, 0.5])
        let q = head.probabilities([Float(log(3.0)), 0, -Float(log(3.0))][...])  // P(y>k) = ¾, ½, ¼
        for (a, b) in zip(q, [0.25, 0.25, 0.25, 0.25] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testHeadBackwardMatchesFiniteDifferences() throws {
        let store = ParameterStore(ClassificationHead.parameterShapes(kind: .ordinal, classes: 4, width: 3))
        var generator = RandomGenerator(seed: 4)
        for p in store.parameters { for i in 0..<p.count { store.value(p.name).pointer[i] = generator.nextUnitFloat() - 0.5 } }
        let pooled = Tensor(shape: [2, 3], values: [0.3, -0.2, 0.9, -0.7, 0.4, 0.1])  // (B, C)
        let labels = [3, 1]
        func loss() -> Float {
            var g = RandomGenerator(seed: 0)
            let (logits, _) = head.forward(pooled, store: store, workspace: Workspace(), generator: &g)
            return head.loss(logits: logits.values, labels: labels).loss
        }
        store.zeroGradients()
        var g = RandomGenerator(seed: 0)
        let workspace = Workspace()
        let (logits, saved) = head.forward(pooled, store: store, workspace: workspace, generator: &g)
        let dLogits = Tensor(shape: logits.shape, values: head.loss(logits: logits.values, labels: labels).gradient)
        _ = head.backward(dLogits, saved: saved, store: store, workspace: workspace)
        for p in store.parameters {
            for i in 0..<p.count {
                let v = store.value(p.name).pointer
                let original = v[i]
                v[i] = original + 1e-2
                let plus = loss()
                v[i] = original - 1e-2
                let minus = loss()
                v[i] = original
                XCTAssertEqual(store.gradient(p.name).pointer[i], (plus - minus) / 2e-2, accuracy: 1e-3, "\(p.name)[\(i)]")
            }
        }
    }

    func testOrdinalRunSavesAndPredictsInLabelOrder() throws {
        let dir = NSTemporaryDirectory() + "ordinal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        let words = ["a", "b", "hello"]  // low, mid, high
        let train = (0..<30).map { i in LabeledExample(text: "world " + words[i % 3], label: ["low", "mid", "high"][i % 3], line: i + 2) }
        var c = FineTuningConfiguration.tinyRun(model: dir + "/base", head: .ordinal, epochs: 30, batchSize: 10)
        c.labels = ["low", "mid", "high"]
        let tuner = try FineTuner(configuration: c)
        let result = try tuner.train(train: train, dev: Array(train.prefix(6)))
        XCTAssertEqual(result.labels, ["low", "mid", "high"], "the given order, not sorted")
        XCTAssertGreaterThanOrEqual(result.best?.accuracy ?? 0, 0.8)
        try tuner.save(to: dir + "/trained")
        let loaded = try TextClassifier(directory: dir + "/trained")
        XCTAssertEqual(loaded.description.head, .ordinal)
        let predictions = loaded.predict(["world a", "world hello"])
        XCTAssertEqual(predictions.map(\.probabilities.count), [3, 3])
        XCTAssertEqual(predictions.map(\.label), ["low", "high"])
        var unordered = c
        unordered.labels = nil
        XCTAssertThrowsError(try FineTuner(configuration: unordered).train(train: train, dev: train)) { error in
            XCTAssertTrue("\(error)".contains("needs the labels in order"), "\(error)")
        }
    }
}

/// The head's L2 normalization: backward against finite differences, and a saved head that normalizes.
final class NormalizedHeadTests: XCTestCase {
    func testNormalizedFeaturesBackward() throws {
        let head = ClassificationHead(kind: .softmax, classes: 3, width: 4, normalize: true)
        let store = ParameterStore(ClassificationHead.parameterShapes(classes: 3, width: 4))
        var generator = RandomGenerator(seed: 9)
        for p in store.parameters { for i in 0..<p.count { store.value(p.name).pointer[i] = generator.nextUnitFloat() - 0.5 } }
        let pooled = Tensor(shape: [2, 4], values: (0..<8).map { _ in generator.nextUnitFloat() * 2 - 1 })  // (B, C)
        let labels = [2, 0]
        func loss() -> Float {
            var g = RandomGenerator(seed: 0)
            let logits = head.forward(pooled, store: store, workspace: Workspace(), generator: &g).logits
            return softmaxCrossEntropy(logits: logits.values, labels: labels, classes: 3).loss
        }
        var g = RandomGenerator(seed: 0)
        let workspace = Workspace()
        let (logits, saved) = head.forward(pooled, store: store, workspace: workspace, generator: &g)
        XCTAssertEqual(saved.featureValues[0..<4].reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5, "unit norm")
        let dLogits = Tensor(shape: logits.shape, values: softmaxCrossEntropy(logits: logits.values, labels: labels, classes: 3).gradient)
        let dPooled = head.backward(dLogits, saved: saved, store: store, workspace: workspace)
        for i in 0..<(2 * 4) {
            let original = pooled.pointer[i]
            pooled.pointer[i] = original + 1e-2
            let plus = loss()
            pooled.pointer[i] = original - 1e-2
            let minus = loss()
            pooled.pointer[i] = original
            XCTAssertEqual(dPooled.pointer[i], (plus - minus) / 2e-2, accuracy: 2e-3, "dpooled[\(i)]")
        }
    }
}
