import Foundation
import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining
import TextTransferTestSupport

/// One masked-LM step of all-MiniLM-L6-v2 against transformers' BertForMaskedLM
/// (Tools/golden/make_mlm_fixtures.py): the loss and every parameter's gradient, the tied decoder's
/// included; and the masking's rules.
final class MaskedLanguageModelTests: XCTestCase {
    struct Golden: Decodable {
        let loss: Double
        let ids: [[Int32]]
        let mask: [[Int32]]
        let labels: [[Int32]]
        let parameters: [String]
    }

    func testLossAndEveryGradientMatchBertForMaskedLM() throws {
        let json = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/mlm_step", withExtension: "json"))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: json))
        let reference = try SafetensorsReader(path: try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/mlm_step", withExtension: "safetensors")).path)
        try PretrainedModel.require()
        let model = try MaskedLanguageModel(directory: PretrainedModel.directory)
        XCTAssertFalse(model.headWasLoaded, "all-MiniLM-L6-v2 ships no MLM head")
        for (name, _) in MaskedLanguageModelHead.parameterShapes(width: 384, vocabularySize: 30522) {
            let t = try reference.tensor("head." + name)
            model.store.value(name).pointer.update(from: t.pointer, count: t.count)
        }
        model.hiddenDropout = 0
        model.attentionDropout = 0
        let T = golden.ids[0].count
        let batch = TokenBatch(ids: golden.ids.flatMap { $0 }, typeIDs: [Int32](repeating: 0, count: golden.ids.count * T),
                               lengths: golden.mask.map { $0.reduce(0, +) }, tokens: T)
        let loss = try model.lossAndGradients(batch, labels: golden.labels.flatMap { $0 }.map { $0 < 0 ? -1 : $0 })
        XCTAssertEqual(loss, golden.loss, accuracy: 1e-5 * golden.loss, "loss")
        var compared = Set<String>(), worst = 0.0
        for torchName in golden.parameters {
            let ours = torchName.hasPrefix("bert.") ? String(torchName.dropFirst(5)) : torchName
            let g = model.store.gradient(ours)
            let norm = Double(try reference.tensor("norm." + torchName).values[0])
            compared.insert(ours)
            if ours.hasSuffix("attention.self.key.bias") {  // zero in exact arithmetic: see MiniLMTrainingStepTests
                let oursNorm = sumOfSquares(g.pointer, count: g.count).squareRoot()
                let weightNorm = Double(try reference.tensor("norm." + torchName.replacingOccurrences(of: ".bias", with: ".weight")).values[0])
                XCTAssertLessThanOrEqual(oursNorm, 1e-5 * weightNorm, ours)
                continue
            }
            let expected = try reference.tensor("proj." + torchName).values.map(Double.init)
            let got = MiniLMTrainingStepTests.projections(g.pointer, count: g.count)
            let estimate = (zip(got, expected).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 16).squareRoot()
            let relative = estimate / max(norm, 1e-12)
            worst = max(worst, relative)
            XCTAssertLessThanOrEqual(relative, 1e-3, "gradient of \(ours): estimated relative difference \(relative)")
            let oursNorm = sumOfSquares(g.pointer, count: g.count).squareRoot()
            XCTAssertEqual(oursNorm, norm, accuracy: 1e-3 * max(norm, 1e-12), "norm of \(ours)'s gradient")
            if reference.entries["grad." + torchName] != nil {
                let full = try reference.tensor("grad." + torchName).values
                let difference = zip(g.values, full).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
                XCTAssertLessThanOrEqual(difference / max(norm, 1e-12), 1e-3, "full gradient of \(ours)")
            }
        }
        // Parameters BertForMaskedLM does not have (the pooler) get no gradient.
        for p in model.store.parameters where !compared.contains(p.name) {
            XCTAssertEqual(sumOfSquares(model.store.gradient(p.name).pointer, count: p.count), 0, p.name)
        }
        print("MLM step: loss \(loss) vs \(golden.loss); \(compared.count) gradients, worst relative difference \(worst)")
    }

    func testMaskingFollowsBERTsRules() throws {
        // 20 ordinary tokens between [CLS] and [SEP], then padding.
        let ids: [Int32] = [101] + (0..<20).map { 2000 + $0 } + [102, 0, 0]
        let encoding = Encoding(ids: ids, typeIDs: ids.map { _ in 0 }, attentionMask: ids.map { $0 == 0 ? 0 : 1 },
                                specialTokensMask: ids.map { $0 == 101 || $0 == 102 || $0 == 0 ? 1 : 0 }, offsets: ids.map { _ in 0..<0 })
        let masking = TokenMasking(maskID: 103, vocabularySize: 30522)
        var generator = RandomGenerator(seed: 1)
        var chosen = 0, masked = 0, replaced = 0, kept = 0
        for _ in 0..<2000 {
            let (corrupted, labels) = masking.mask(encoding, generator: &generator)
            for i in ids.indices where labels[i] >= 0 {
                XCTAssertEqual(labels[i], ids[i])
                XCTAssertTrue((1...20).contains(i), "never a special or padding token")
                chosen += 1
                if corrupted[i] == 103 { masked += 1 } else if corrupted[i] == ids[i] { kept += 1 } else { replaced += 1 }
            }
            XCTAssertTrue(labels.contains { $0 >= 0 }, "every sequence predicts something")
        }
        XCTAssertEqual(Double(chosen) / (2000 * 20), 0.15, accuracy: 0.01)
        XCTAssertEqual(Double(masked) / Double(chosen), 0.8, accuracy: 0.02)
        XCTAssertEqual(Double(replaced) / Double(chosen), 0.1, accuracy: 0.02)
        XCTAssertEqual(Double(kept) / Double(chosen), 0.1, accuracy: 0.02)
        // Whole words: pieces of one word are chosen together.
        let words = [0] + (0..<20).map { 1 + $0 / 4 } + [6, 7, 8]
        for _ in 0..<200 {
            let (_, labels) = masking.mask(encoding, words: words, generator: &generator)
            for w in 1...5 {
                let members = (1...20).filter { words[$0] == w }
                XCTAssertTrue(members.allSatisfy { labels[$0] >= 0 } || members.allSatisfy { labels[$0] < 0 }, "word \(w)")
            }
        }
    }
}
