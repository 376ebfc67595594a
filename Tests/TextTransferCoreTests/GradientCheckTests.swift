import XCTest
@testable import TextTransferCore

/// Every backward twin against finite differences of its forward twin, in Double.
final class GradientCheckTests: XCTestCase {
    var rng = SeededGenerator(seed: 9)
    func random(_ n: Int, scale: Double = 1) -> [Double] { (0..<n).map { _ in Double.random(in: -scale...scale, using: &rng) } }

    func testLinear() {
        let (rows, inF, outF) = (3, 5, 4)
        let x = random(rows * inF), w = random(outF * inF), b = random(outF), r = random(rows * outF)
        let g = referenceLinearBackward(x: x, weight: w, dy: r, rows: rows, inFeatures: inF, outFeatures: outF)
        checkGradient("linear dx", at: x, analytic: g.dx) { weightedSum(referenceLinear(x: $0, weight: w, bias: b, rows: rows, inFeatures: inF, outFeatures: outF), r) }
        checkGradient("linear dW", at: w, analytic: g.dWeight) { weightedSum(referenceLinear(x: x, weight: $0, bias: b, rows: rows, inFeatures: inF, outFeatures: outF), r) }
        checkGradient("linear db", at: b, analytic: g.dBias) { weightedSum(referenceLinear(x: x, weight: w, bias: $0, rows: rows, inFeatures: inF, outFeatures: outF), r) }
    }

    func testLayerNorm() {
        let (rows, width) = (4, 7)
        let x = random(rows * width, scale: 2), gamma = random(width), beta = random(width), r = random(rows * width)
        let g = referenceLayerNormBackward(x: x, gamma: gamma, dy: r, rows: rows, width: width, epsilon: 1e-5)
        let f = { (x: [Double], gamma: [Double], beta: [Double]) in
            weightedSum(referenceLayerNorm(x: x, gamma: gamma, beta: beta, rows: rows, width: width, epsilon: 1e-5), r)
        }
        checkGradient("layer norm dx", at: x, analytic: g.dx) { f($0, gamma, beta) }
        checkGradient("layer norm dgamma", at: gamma, analytic: g.dGamma) { f(x, $0, beta) }
        checkGradient("layer norm dbeta", at: beta, analytic: g.dBeta) { f(x, gamma, $0) }
    }

    func testGELU() {
        let x = random(50, scale: 5) + [0, 1e-3, -1e-3], r = random(53)
        checkGradient("gelu", at: x, analytic: referenceGELUBackward(x: x, dy: r)) { weightedSum(referenceGELU($0), r) }
    }

    func testAttentionWithUnevenLengthsAndDropout() {
        let (B, T, H, D) = (3, 5, 2, 3)
        let C = H * D
        let lengths = [5, 2, 4]
        let q = random(B * T * C), k = random(B * T * C), v = random(B * T * C), r = random(B * T * C)
        for mask in [nil, (0..<(B * H * T * T)).map { _ in Double.random(in: 0...1, using: &rng) < 0.3 ? 0.0 : 1 / 0.7 }] {
            let g = referenceAttentionBackward(q: q, k: k, v: v, dOut: r, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D, dropoutMask: mask)
            let f = { (q: [Double], k: [Double], v: [Double]) in
                weightedSum(referenceAttention(q: q, k: k, v: v, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D, dropoutMask: mask), r)
            }
            let label = mask == nil ? "" : " with dropout"
            checkGradient("attention dq" + label, at: q, analytic: g.dq) { f($0, k, v) }
            checkGradient("attention dk" + label, at: k, analytic: g.dk) { f(q, $0, v) }
            checkGradient("attention dv" + label, at: v, analytic: g.dv) { f(q, k, $0) }
        }
    }
}
