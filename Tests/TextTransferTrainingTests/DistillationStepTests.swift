import XCTest
import TextTransferCore
import TextTransferEncoders
@testable import TextTransferTraining

/// The distillation loss inside the training step: the gradients the step leaves in the store are the
/// finite differences of the distillation loss through the whole model (a BiLSTM classifier), and with
/// α = 1 the step is the plain cross-entropy step.
final class DistillationStepTests: XCTestCase {
    let (V, K) = (12, 3)
    let labels = [2, 0, 1]

    func model() -> RecurrentClassifier {
        RecurrentClassifier(vocabularySize: V, embeddingWidth: 6, hiddenSize: 5, cell: .lstm, bidirectional: true, classes: K, seed: 3)
    }

    var batch: TokenBatch {
        TokenBatch(ids: [3, 4, 5, 0, 7, 8, 9, 10, 2, 11, 0, 0], typeIDs: [Int32](repeating: 0, count: 12), lengths: [3, 4, 2], tokens: 4)
    }

    func testTheStepsGradientIsTheDistillationLossesFiniteDifference() throws {
        let settings = DistillationSettings(softLoss: .kl, temperature: 2, alpha: 0.4)
        let teacher: [Float] = [1.5, -0.5, 0.2, -1, 2, 0.3, 0.1, 0.4, -2]
        let net = model()
        func loss() -> Double {
            let logits = net.logits(batch).flatMap { $0 }.map(Double.init)
            return Distillation.loss(student: logits, teacher: teacher.map(Double.init), labels: labels, classes: K, settings: settings).loss
        }
        _ = try net.trainStep(batch, optimizer: SGD(), learningRate: 0) { logits in
            let (l, g) = Distillation.loss(student: logits.map(Double.init), teacher: teacher.map(Double.init), labels: self.labels, classes: self.K, settings: settings)
            return (Float(l), g.map(Float.init))
        }
        var checked = 0
        for p in net.store.parameters {
            let value = net.store.value(p.name), gradient = net.store.gradient(p.name)
            for i in stride(from: 0, to: value.count, by: max(1, value.count / 7)) {
                let saved = value.pointer[i]
                value.pointer[i] = saved + 1e-2
                let plus = loss()
                value.pointer[i] = saved - 1e-2
                let minus = loss()
                value.pointer[i] = saved
                let numeric = (plus - minus) / 2e-2
                XCTAssertEqual(Double(gradient.pointer[i]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "\(p.name)[\(i)]")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    func testWithAlphaOneTheStepIsTheCrossEntropyStep() throws {
        let plain = model(), distilled = model()
        _ = try plain.trainStep(batch, labels: labels, optimizer: SGD(), learningRate: 0)
        let settings = DistillationSettings(softLoss: .kl, temperature: 2, alpha: 1)
        let teacher = [Double](repeating: 0.7, count: 9)
        _ = try distilled.trainStep(batch, optimizer: SGD(), learningRate: 0) { logits in
            let (l, g) = Distillation.loss(student: logits.map(Double.init), teacher: teacher, labels: self.labels, classes: self.K, settings: settings)
            return (Float(l), g.map(Float.init))
        }
        for p in plain.store.parameters {
            let a = plain.store.gradient(p.name).values, b = distilled.store.gradient(p.name).values
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-6, p.name) }
        }
    }
}
