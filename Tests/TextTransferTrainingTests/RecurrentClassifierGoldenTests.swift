import Foundation
import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Small BiLSTM and BiGRU classifiers against PyTorch with packed sequences
/// (Tools/golden/make_recurrent_fixtures.py): the loss, every gradient, 5 AdamW steps.
final class RecurrentClassifierGoldenTests: XCTestCase {
    struct Golden: Decodable {
        let ids: [[Int32]]
        let lengths: [Int32]
        let labels: [Int]
        let vocabulary: Int
        let loss: Double
        let losses: [Double]
    }

    func check(_ cell: RecurrentLayer.Cell) throws {
        let name = "recurrent_\(cell.rawValue)"
        let json = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: "json"))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: json))
        let reference = try SafetensorsReader(path: XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: "safetensors")).path)
        let model = RecurrentClassifier(vocabularySize: golden.vocabulary, embeddingWidth: 16, hiddenSize: 12, cell: cell,
                                        bidirectional: true, classes: 2)
        for p in model.store.parameters {
            let initial = try reference.tensor("init." + p.name)
            XCTAssertEqual(initial.shape, p.shape, p.name)
            model.store.value(p.name).pointer.update(from: initial.pointer, count: initial.count)
        }
        let T = golden.ids[0].count
        let batch = TokenBatch(ids: golden.ids.flatMap { $0 }, typeIDs: [Int32](repeating: 0, count: golden.ids.count * T),
                               lengths: golden.lengths, tokens: T)
        let optimizer = AdamW(weightDecay: 0.01)
        var losses = [Double(try model.trainStep(batch, labels: golden.labels, optimizer: optimizer, learningRate: 1e-2))]
        XCTAssertEqual(losses[0], golden.loss, accuracy: 1e-5 * golden.loss, "\(cell) loss")
        var worst = 0.0
        for p in model.store.parameters {  // the first step's gradients are still in the store
            let expected = try reference.tensor("grad." + p.name).values
            let ours = model.store.gradient(p.name).values
            let norm = expected.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let difference = zip(ours, expected).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
            XCTAssertLessThanOrEqual(difference, 1e-3 * max(norm, 1e-6), "\(cell) gradient of \(p.name)")
            worst = max(worst, difference / max(norm, 1e-6))
        }
        for _ in 1..<5 { losses.append(Double(try model.trainStep(batch, labels: golden.labels, optimizer: optimizer, learningRate: 1e-2))) }
        losses.append(softmaxCrossEntropy(logits: model.logits(batch).flatMap { $0 }.map(Double.init), labels: golden.labels, classes: 2).loss)
        for (ours, torch) in zip(losses, golden.losses) { XCTAssertEqual(ours, torch, accuracy: 1e-4, "\(cell) AdamW losses") }
        let lossGap = zip(losses, golden.losses).map { abs($0 - $1) }.max()!
        print("\(cell) golden: loss \(losses[0]) vs \(golden.loss), worst gradient difference \(worst) (relative, by norm), AdamW losses within \(lossGap)")
    }

    func testBiLSTMClassifierMatchesPyTorch() throws { try check(.lstm) }
    func testBiGRUClassifierMatchesPyTorch() throws { try check(.gru) }
}
