import Foundation
import XCTest
@testable import TextTransferCore

/// Every fast kernel against its plain-loop twin (run in Double), on random and odd shapes.
final class KernelTwinTests: XCTestCase {
    var rng = SeededGenerator(seed: 42)

    func random(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in Float.random(in: -scale...scale, using: &rng) } }

    func assertClose(_ fast: [Float], _ plain: [Double], tolerance: Double = 1e-5, _ message: String, line: UInt = #line) {
        XCTAssertEqual(fast.count, plain.count, message, line: line)
        for (i, (f, p)) in zip(fast, plain).enumerated() where abs(Double(f) - p) > tolerance * max(1, abs(p)) {
            XCTFail("\(message): element \(i) is \(f), plain twin gives \(p)", line: line)
            return
        }
    }

    func testLinearMatchesTwin() {
        for (rows, inF, outF) in [(1, 1, 1), (7, 13, 5), (5, 35, 18), (24, 384, 33), (25, 64, 17), (33, 64, 17), (3, 384, 1536), (70, 100, 9)] {
            let x = random(rows * inF), w = random(outF * inF), b = random(outF)
            var y = [Float](repeating: .nan, count: rows * outF)
            linearForward(x: x, weight: w, bias: b, y: &y, rows: rows, inFeatures: inF, outFeatures: outF)
            let plain = referenceLinear(x: x.map(Double.init), weight: w.map(Double.init), bias: b.map(Double.init),
                                        rows: rows, inFeatures: inF, outFeatures: outF)
            assertClose(y, plain, tolerance: 1e-5 * Double(inF).squareRoot(), "linear \(rows)x\(inF)->\(outF)")
        }
    }

    func testLayerNormMatchesTwin() {
        for (rows, width) in [(1, 1), (5, 7), (9, 384)] {
            let x = random(rows * width, scale: 3), g = random(width), b = random(width)
            var y = [Float](repeating: .nan, count: x.count)
            layerNormForward(x: x, gamma: g, beta: b, y: &y, rows: rows, width: width, epsilon: 1e-12)
            assertClose(y, referenceLayerNorm(x: x.map(Double.init), gamma: g.map(Double.init), beta: b.map(Double.init),
                                              rows: rows, width: width, epsilon: 1e-12), "layer norm \(rows)x\(width)")
        }
    }

    func testGELUMatchesExactErfTwin() {
        var x = random(10_001, scale: 8)
        x += [0, -0, 1e-30, -1e-30, 20, -20, 4, -4, 3.999, 100]
        var y = [Float](repeating: .nan, count: x.count)
        geluForward(x: x, y: &y, count: x.count)
        assertClose(y, referenceGELU(x.map(Double.init)), tolerance: 1e-6, "gelu")
    }

    func testMaskedSoftmaxMatchesTwin() {
        for (rows, columns, valid) in [(1, 1, 1), (3, 10, 4), (17, 64, 64), (5, 33, 1)] {
            var s = random(rows * columns, scale: 20)
            let plain = referenceMaskedSoftmax(s.map(Double.init), rows: rows, columns: columns, validColumns: valid)
            maskedSoftmaxRows(&s, rows: rows, columns: columns, validColumns: valid)
            assertClose(s, plain, tolerance: 1e-6, "softmax \(rows)x\(columns) valid \(valid)")
        }
    }

    func testEmbeddingLookupMatchesTwin() {
        let table = random(11 * 6), ids: [Int32] = [3, 0, 10, 3]
        var out = [Float](repeating: .nan, count: ids.count * 6)
        embeddingLookup(table: table, rowsInTable: 11, ids: ids, count: ids.count, width: 6, out: &out, accumulate: false)
        assertClose(out, referenceEmbeddingLookup(table: table.map(Double.init), ids: ids.map(Int.init), width: 6), tolerance: 0, "lookup")
    }

    func testPoolingAndNormalizationMatchTwins() {
        let (B, T, C) = (3, 5, 7)
        let hidden = random(B * T * C)
        let lengths: [Int32] = [3, 5, 1]
        var pooled = [Float](repeating: .nan, count: B * C)
        poolingForward(.mean, hidden: hidden, lengths: lengths, out: &pooled, argmax: nil, batch: B, tokens: T, width: C)
        let plain = referencePooling(.mean, hidden: hidden.map(Double.init), lengths: lengths.map(Int.init), batch: B, tokens: T, width: C)
        assertClose(pooled, plain, "mean pooling")
        l2NormalizeRows(&pooled, rows: B, width: C)
        assertClose(pooled, referenceL2Normalize(plain, rows: B, width: C), "l2 normalize")
    }

    func testAttentionMatchesTwinWithUnevenLengths() {
        let (B, T, H, D) = (3, 6, 2, 4)
        let C = H * D
        let q = random(B * T * C), k = random(B * T * C), v = random(B * T * C)
        let lengths: [Int32] = [6, 2, 4]
        var out = [Float](repeating: .nan, count: B * T * C)
        var scratch = [Float](repeating: 0, count: ComputeThreads.count * T * T)
        attentionForward(q: q, k: k, v: v, out: &out, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D, scratch: &scratch)
        // The plain form: per sequence and head, softmax(Q Kᵀ / √D) over the valid keys, times V.
        var plain = [Double](repeating: 0, count: B * T * C)
        for b in 0..<B {
            for h in 0..<H {
                func col(_ m: [Float], _ t: Int, _ d: Int) -> Double { Double(m[(b * T + t) * C + h * D + d]) }
                let n = Int(lengths[b])
                var scores = [Double](repeating: 0, count: T * T)
                for i in 0..<T { for j in 0..<T { scores[i * T + j] = (0..<D).reduce(0.0) { $0 + col(q, i, $1) * col(k, j, $1) } / Double(D).squareRoot() } }
                let p = referenceMaskedSoftmax(scores, rows: T, columns: T, validColumns: n)
                for i in 0..<T { for d in 0..<D { plain[(b * T + i) * C + h * D + d] = (0..<n).reduce(0.0) { $0 + p[i * T + $1] * col(v, $1, d) } } }
            }
        }
        assertClose(out, plain, "attention")
    }

    func testInferenceAttentionHeadKernelMatchesTwin() {
        // Head sizes the AVX-512 head kernel takes (multiples of 16; 48 has an odd 16-wide slice), lengths
        // that are not multiples of 16, and a sequence of one token.
        for (B, T, H, D, lengths) in [(3, 20, 2, 32, [20, 1, 13] as [Int32]), (2, 37, 1, 48, [37, 17]), (1, 5, 3, 16, [5])] {
            let C = H * D
            let q = random(B * T * C), k = random(B * T * C), v = random(B * T * C)
            var out = [Float](repeating: .nan, count: B * T * C)
            var scratch = [Float](repeating: .nan, count: ComputeThreads.count * attentionScratchElements(tokens: T, headSize: D))
            attentionForward(q: q, k: k, v: v, out: &out, lengths: lengths, batch: B, tokens: T, heads: H, headSize: D, scratch: &scratch)
            let plain = referenceAttention(q: q.map(Double.init), k: k.map(Double.init), v: v.map(Double.init), lengths: lengths.map(Int.init),
                                           batch: B, tokens: T, heads: H, headSize: D, dropoutMask: nil)
            assertClose(out, plain, "attention B=\(B) T=\(T) H=\(H) D=\(D)")
        }
    }

    func testSumOfSquaresMatchesTwin() {
        for n in [1, 7, 8, 9, 1000, 70_001] {
            let x = random(n, scale: 3)
            let plain = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            let fast = x.withUnsafeBufferPointer { sumOfSquares($0.baseAddress!, count: n) }
            XCTAssertEqual(fast, plain, accuracy: 1e-12 * max(plain, 1), "n \(n)")
        }
        let bad: [Float] = [1, .nan, 2]
        XCTAssertTrue(bad.withUnsafeBufferPointer { sumOfSquares($0.baseAddress!, count: 3) }.isNaN, "a NaN is not hidden")
    }

    func testWorkspaceReusesMemoryAfterGrowing() {
        let w = Workspace()
        w.reset()
        let a = w.tensor([100])
        w.reset()  // grows to the first pass's demand
        let b = w.tensor([100])
        XCTAssertGreaterThanOrEqual(w.capacity, 100)
        XCTAssertTrue(b.storage === w.tensor([0]).storage)
        XCTAssertFalse(a.storage === b.storage)
    }
}

/// SplitMix64: a small seeded generator so the random shapes are the same every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
