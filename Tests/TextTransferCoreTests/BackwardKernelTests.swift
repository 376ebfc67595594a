import XCTest
@testable import TextTransferCore

/// The fast backward kernels (Float) against their twins (Double).
final class BackwardKernelTests: XCTestCase {
    var rng = SeededGenerator(seed: 11)
    func random(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in Float.random(in: -scale...scale, using: &rng) } }

    func assertClose(_ fast: [Float], _ plain: [Double], tolerance: Double = 2e-5, _ message: String, line: UInt = #line) {
        XCTAssertEqual(fast.count, plain.count, message, line: line)
        let scale = max(1, plain.map(abs).max() ?? 1)
        for (i, (f, p)) in zip(fast, plain).enumerated() where abs(Double(f) - p) > tolerance * scale {
            return XCTFail("\(message): element \(i) is \(f), twin gives \(p)", line: line)
        }
    }

    func testLinearBackward() {
        for (rows, inF, outF) in [(1, 3, 2), (7, 13, 5), (40, 64, 33)] {
            let x = random(rows * inF), w = random(outF * inF), dy = random(rows * outF)
            // Start from nonzero gradients: the kernel must add, not overwrite.
            var dx = [Float](repeating: 1, count: x.count), dw = [Float](repeating: 1, count: w.count), db = [Float](repeating: 1, count: outF)
            linearBackward(x: x, weight: w, dy: dy, dx: &dx, dWeight: &dw, dBias: &db, rows: rows, inFeatures: inF, outFeatures: outF)
            let g = referenceLinearBackward(x: x.map(Double.init), weight: w.map(Double.init), dy: dy.map(Double.init),
                                            rows: rows, inFeatures: inF, outFeatures: outF)
            assertClose(dx, g.dx.map { $0 + 1 }, "dx \(rows)x\(inF)x\(outF)")
            assertClose(dw, g.dWeight.map { $0 + 1 }, "dW \(rows)x\(inF)x\(outF)")
            assertClose(db, g.dBias.map { $0 + 1 }, "db \(rows)x\(inF)x\(outF)")
        }
    }

    func testLayerNormBackward() {
        for (rows, width) in [(1, 5), (9, 33), (70, 384)] {
            let x = random(rows * width, scale: 3), gamma = random(width), beta = random(width), dy = random(rows * width)
            var y = [Float](repeating: 0, count: x.count), mean = [Float](repeating: 0, count: rows), rstd = mean
            layerNormForward(x: x, gamma: gamma, beta: beta, y: &y, rows: rows, width: width, epsilon: 1e-12, mean: &mean, reciprocalStd: &rstd)
            var dx = [Float](repeating: 0, count: x.count), dg = [Float](repeating: 0, count: width), db = dg
            layerNormBackward(x: x, dy: dy, gamma: gamma, mean: mean, reciprocalStd: rstd, dx: &dx, dGamma: &dg, dBeta: &db, rows: rows, width: width)
            let g = referenceLayerNormBackward(x: x.map(Double.init), gamma: gamma.map(Double.init), dy: dy.map(Double.init),
                                               rows: rows, width: width, epsilon: 1e-12)
            assertClose(dx, g.dx, tolerance: 1e-4, "layer norm dx \(rows)x\(width)")
            assertClose(dg, g.dGamma, tolerance: 1e-4, "dgamma \(rows)x\(width)")
            assertClose(db, g.dBeta, "dbeta \(rows)x\(width)")
        }
    }

    func testGELUBackward() {
        let x = random(5000, scale: 6), dy = random(5000)
        var dx = [Float](repeating: 0, count: x.count)
        geluBackward(x: x, dy: dy, dx: &dx, count: x.count)
        assertClose(dx, referenceGELUBackward(x: x.map(Double.init), dy: dy.map(Double.init)), tolerance: 1e-6, "gelu backward")
    }

    func testAttentionForwardAndBackwardWithUnevenLengthsAndDropout() {
        let (B, T, H, D) = (3, 7, 2, 4)
        let C = H * D
        let lengths: [Int32] = [7, 3, 5]
        let q = random(B * T * C), k = random(B * T * C), v = random(B * T * C), dOut = random(B * T * C)
        var generator = RandomGenerator(seed: 3)
        var mask = [Float](repeating: 0, count: B * H * T * T)
        dropoutMask(&mask, count: mask.count, probability: 0.25, generator: &generator)
        for useMask in [false, true] {
            var out = [Float](repeating: .nan, count: B * T * C), p = [Float](repeating: 0, count: B * H * T * T)
            var scratch = [Float](repeating: 0, count: ComputeThreads.count * 2 * T * T)
            mask.withUnsafeBufferPointer { m in
                attentionForward(q: q, k: k, v: v, out: &out, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D,
                                 scratch: &scratch, probabilities: &p, dropoutMask: useMask ? m.baseAddress : nil)
            }
            let dmask = useMask ? mask.map(Double.init) : nil
            let (qd, kd, vd) = (q.map(Double.init), k.map(Double.init), v.map(Double.init))
            assertClose(out, referenceAttention(q: qd, k: kd, v: vd, lengths: lengths.map(Int.init), batch: B, tokens: T, heads: H,
                                                headSize: D, dropoutMask: dmask), "attention forward, mask \(useMask)")
            var dq = [Float](repeating: 0, count: q.count), dk = dq, dv = dq
            mask.withUnsafeBufferPointer { m in
                attentionBackward(q: q, k: k, v: v, probabilities: p, dropoutMask: useMask ? m.baseAddress : nil, dOut: dOut,
                                  dq: &dq, dk: &dk, dv: &dv, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D, scratch: &scratch)
            }
            let g = referenceAttentionBackward(q: qd, k: kd, v: vd, dOut: dOut.map(Double.init), lengths: lengths.map(Int.init),
                                               batch: B, tokens: T, heads: H, headSize: D, dropoutMask: dmask)
            assertClose(dq, g.dq, "dq, mask \(useMask)")
            assertClose(dk, g.dk, "dk, mask \(useMask)")
            assertClose(dv, g.dv, "dv, mask \(useMask)")
        }
    }

    func testDropoutMaskIsSeededAndScaled() {
        var a = RandomGenerator(seed: 5), b = RandomGenerator(seed: 5)
        var m1 = [Float](repeating: 0, count: 10_000), m2 = m1
        dropoutMask(&m1, count: m1.count, probability: 0.1, generator: &a)
        dropoutMask(&m2, count: m2.count, probability: 0.1, generator: &b)
        XCTAssertEqual(m1, m2)
        XCTAssertEqual(Set(m1), [0, 1 / 0.9])
        let dropped = Double(m1.filter { $0 == 0 }.count) / 10_000
        XCTAssertEqual(dropped, 0.1, accuracy: 0.015)
    }
}
