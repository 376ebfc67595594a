import XCTest
import TextTransferCore
import TextTransferEncoders
@testable import TextTransferTraining

/// The ReLU layer between the pooled vector and the logits (`headHidden`): its gradients and those below
/// it are the loss's finite differences, and it lets a bag of embeddings learn what a linear bag cannot.
final class RecurrentHeadLayerTests: XCTestCase {
    let labels = [2, 0, 1]
    var batch: TokenBatch {
        TokenBatch(ids: [3, 4, 5, 0, 7, 8, 9, 10, 2, 11, 0, 0], typeIDs: [Int32](repeating: 0, count: 12), lengths: [3, 4, 2], tokens: 4)
    }

    func testGradientsThroughTheHeadLayerAreFiniteDifferences() throws {
        for cell in [RecurrentLayer.Cell.lstm, nil] {
            let net = RecurrentClassifier(vocabularySize: 12, embeddingWidth: 6, hiddenSize: 5, cell: cell, bidirectional: true, classes: 3,
                                          headHidden: 7, seed: 5)
            func loss() -> Double {
                let logits = net.logits(batch).flatMap { $0 }.map(Double.init)
                return softmaxCrossEntropy(logits: logits, labels: labels, classes: 3).loss
            }
            _ = try net.trainStep(batch, labels: labels, optimizer: SGD(), learningRate: 0)
            // A step of h that moves a ReLU's input across zero meets the kink: the one-sided slopes then
            // disagree, and that entry is left out (a few at most).
            let h = 1e-3, base = loss()
            var checked = 0, headChecked = 0, kinks = 0
            for p in net.store.parameters {
                let value = net.store.value(p.name), gradient = net.store.gradient(p.name)
                for i in stride(from: 0, to: value.count, by: max(1, value.count / 9)) {
                    let saved = value.pointer[i]
                    value.pointer[i] = saved + Float(h)
                    let plus = loss()
                    value.pointer[i] = saved - Float(h)
                    let minus = loss()
                    value.pointer[i] = saved
                    let (right, left) = ((plus - base) / h, (base - minus) / h)
                    if abs(right - left) > 5e-3 + 0.05 * abs(right) {
                        kinks += 1
                        continue
                    }
                    let numeric = (plus - minus) / (2 * h)
                    XCTAssertEqual(Double(gradient.pointer[i]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "\(String(describing: cell)) \(p.name)[\(i)]")
                    checked += 1
                    if p.name.hasPrefix("head.") && gradient.pointer[i] != 0 { headChecked += 1 }
                }
            }
            XCTAssertLessThanOrEqual(kinks, 3)
            XCTAssertGreaterThan(checked, 30)
            XCTAssertGreaterThan(headChecked, 3, "the head layer's gradients are not all zero")
            XCTAssertEqual(net.store.parameter("classifier.weight")?.shape, [3, 7])
        }
    }

    /// "a" and "b" each positive, "a b" negative: the mean of a bag's embeddings puts "a b" halfway between
    /// "a" and "b", so a linear head must score it between them; a ReLU layer can bend that.
    func testAHeadLayerLearnsWhatALinearBagCannot() throws {
        let batch = TokenBatch(ids: [1, 0, 2, 0, 1, 2], typeIDs: [Int32](repeating: 0, count: 6), lengths: [1, 1, 2], tokens: 2)
        let labels = [1, 1, 0]
        func trained(_ headHidden: Int?) throws -> [Int] {
            let net = RecurrentClassifier(vocabularySize: 3, embeddingWidth: 4, hiddenSize: 1, cell: nil, bidirectional: true, classes: 2,
                                          headHidden: headHidden, seed: 1)
            let optimizer = AdamW(weightDecay: 0)
            for _ in 0..<400 { try net.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 3e-2) }
            return net.logits(batch).map { $0[1] > $0[0] ? 1 : 0 }
        }
        XCTAssertEqual(try trained(16), labels)
        XCTAssertNotEqual(try trained(nil), labels)
    }
}
