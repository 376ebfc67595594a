import XCTest
@testable import TextTransferCore

/// The recurrent twin's backward against finite differences of its forward (Double), LSTM and GRU, one
/// direction and both, with uneven lengths in one batch.
final class RecurrentGradientTests: XCTestCase {
    var rng = SeededGenerator(seed: 21)
    func random(_ n: Int, scale: Double = 0.6) -> [Double] { (0..<n).map { _ in Double.random(in: -scale...scale, using: &rng) } }

    func testLSTMAndGRUGradientsWithUnevenLengths() {
        let (B, T, E, H) = (3, 4, 3, 2)
        let lengths = [4, 1, 3]
        for lstm in [true, false] {
            for directions in [1, 2] {
                let G = (lstm ? 4 : 3) * H
                let x = random(B * T * E)
                var weights = (0..<directions).map { _ in
                    ReferenceRecurrentWeights(inputWeight: random(G * E), hiddenWeight: random(G * H), inputBias: random(G), hiddenBias: random(G))
                }
                let r = random(B * T * directions * H)
                let label = "\(lstm ? "LSTM" : "GRU") ×\(directions)"
                func loss(_ x: [Double], _ w: [ReferenceRecurrentWeights<Double>]) -> Double {
                    weightedSum(referenceRecurrent(lstm: lstm, x: x, lengths: lengths, batch: B, tokens: T, inputSize: E, hiddenSize: H, weights: w).output, r)
                }
                let g = referenceRecurrent(lstm: lstm, x: x, lengths: lengths, batch: B, tokens: T, inputSize: E, hiddenSize: H,
                                           weights: weights, dOut: r)
                let out = referenceRecurrent(lstm: lstm, x: x, lengths: lengths, batch: B, tokens: T, inputSize: E, hiddenSize: H, weights: weights).output
                // Padded steps output exactly zero and take no gradient.
                XCTAssertEqual(out[((1 * T + 2) * directions * H)..<((1 * T + 3) * directions * H)].allSatisfy { $0 == 0 }, true, label)
                XCTAssertEqual(g.dx[((1 * T + 1) * E)..<(2 * T * E)].allSatisfy { $0 == 0 }, true, label)
                checkGradient("\(label) dx", at: x, analytic: g.dx) { loss($0, weights) }
                for d in 0..<directions {
                    let w = weights
                    checkGradient("\(label) dW_ih[\(d)]", at: w[d].inputWeight, analytic: g.gradients[d].inputWeight) { v in
                        var w2 = w; w2[d].inputWeight = v; return loss(x, w2)
                    }
                    checkGradient("\(label) dW_hh[\(d)]", at: w[d].hiddenWeight, analytic: g.gradients[d].hiddenWeight) { v in
                        var w2 = w; w2[d].hiddenWeight = v; return loss(x, w2)
                    }
                    checkGradient("\(label) db_ih[\(d)]", at: w[d].inputBias, analytic: g.gradients[d].inputBias) { v in
                        var w2 = w; w2[d].inputBias = v; return loss(x, w2)
                    }
                    checkGradient("\(label) db_hh[\(d)]", at: w[d].hiddenBias, analytic: g.gradients[d].hiddenBias) { v in
                        var w2 = w; w2[d].hiddenBias = v; return loss(x, w2)
                    }
                }
                weights.removeAll()
            }
        }
    }
}
