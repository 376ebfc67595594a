import XCTest
import TextTransferCore
import TextTransferEncoders

/// The encoder skips padding: squeezing a batch's padding rows out before the layers and back after gives
/// the real tokens the hidden states that computing the padding gives them, and zero padding rows — in fp32
/// on OpenBLAS and in each packed precision, with a head size our attention kernel takes (16) and one it
/// leaves to the plain path (8).
final class UnpaddedForwardTests: XCTestCase {
    func testSkippingPaddingChangesNoRealToken() throws {
        for heads in [2, 4] {
            let architecture = BertArchitecture(vocabularySize: 20, width: 32, layers: 2, heads: heads, feedForwardWidth: 64,
                                                maxPositions: 16, tokenTypes: 2, layerNormEpsilon: 1e-12)
            var generator = RandomGenerator(seed: 11)
            let weights = try BertWeights(architecture, lookup: { _, shape in
                Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.nextUnitFloat() - 0.5 })
            }, hasPooler: false)
            let lengths: [Int32] = [5, 16, 1, 11, 16, 2]
            let T = 16
            var ids: [Int32] = []
            for n in lengths.map(Int.init) {
                for t in 0..<T { ids.append(t < n ? Int32((t * 7 + n) % 19 + 1) : 0) }
            }
            let batch = TokenBatch(ids: ids, typeIDs: [Int32](repeating: 0, count: ids.count), lengths: lengths, tokens: T)
            for precision in [Precision.fp32, .bf16, .int8] {
                let encoder = BertEncoder(architecture: architecture, weights: weights).converted(to: precision)
                let workspace = Workspace()
                let padded = encoder.forward(batch, workspace: workspace, computesPadding: true).values
                workspace.reset()
                let unpadded = encoder.forward(batch, workspace: workspace).values
                let C = architecture.width
                for (b, n) in lengths.enumerated() {
                    for t in 0..<T {
                        let row = (b * T + t) * C
                        for c in 0..<C {
                            if t < Int(n) {
                                XCTAssertEqual(unpadded[row + c], padded[row + c], accuracy: 1e-5, "\(precision) heads \(heads): sequence \(b) token \(t)")
                            } else {
                                XCTAssertEqual(unpadded[row + c], 0, "\(precision) heads \(heads): padding row \(b),\(t)")
                            }
                        }
                    }
                }
            }
        }
    }
}
