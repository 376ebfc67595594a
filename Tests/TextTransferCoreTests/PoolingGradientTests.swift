import XCTest
@testable import TextTransferCore

/// Pooling, embedding and tanh: twins against finite differences (Double), fast kernels against twins.
final class PoolingGradientTests: XCTestCase {
    var rng = SeededGenerator(seed: 31)
    func random(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
    let (B, T, C) = (3, 4, 5)
    let lengths = [4, 1, 2]

    func testEveryPoolingAgainstFiniteDifferencesAndTheFastKernelsAgainstTheTwins() {
        for pooling in [Pooling.mean, .cls, .max, .pooler] {
            var h = random(B * T * C)
            h[(1 * T + 2) * C] = 100  // a padded step never wins, nor counts
            let r = random(B * C)
            let g = referencePoolingBackward(pooling, hidden: h, dOut: r, lengths: lengths, batch: B, tokens: T, width: C)
            checkGradient("\(pooling) pooling", at: h, analytic: g) {
                weightedSum(referencePooling(pooling, hidden: $0, lengths: lengths, batch: B, tokens: T, width: C), r)
            }
            var out = [Float](repeating: .nan, count: B * C), argmax = [Int32](repeating: 0, count: B * C)
            let lengths32 = lengths.map(Int32.init)
            poolingForward(pooling, hidden: h.map(Float.init), lengths: lengths32, out: &out, argmax: &argmax, batch: B, tokens: T, width: C)
            XCTAssertEqual(out.map(Double.init), referencePooling(pooling, hidden: h, lengths: lengths, batch: B, tokens: T, width: C).map { Double(Float($0)) },
                           accuracy: 1e-6)
            var fast = [Float](repeating: 0, count: h.count)
            poolingBackward(pooling, dOut: r.map(Float.init), lengths: lengths32, argmax: argmax, dHidden: &fast, batch: B, tokens: T, width: C)
            XCTAssertEqual(fast.map(Double.init), g.map { Double(Float($0)) }, accuracy: 1e-6)
        }
    }

    /// Rows wider than the kernel's sixteen lanes, with a tail, and ties: the first winning token is kept.
    func testMaxPoolingOverWideRowsKeepsTheFirstWinner() {
        let (B, T, C) = (2, 5, 37), lengths = [5, 3]
        var h = random(B * T * C).map { ($0 * 4).rounded() / 4 }  // quarters: many ties
        h[(1 * T + 4) * C + 20] = 100  // padding never wins
        var out = [Float](repeating: .nan, count: B * C), argmax = [Int32](repeating: -1, count: B * C)
        poolingForward(.max, hidden: h.map(Float.init), lengths: lengths.map(Int32.init), out: &out, argmax: &argmax, batch: B, tokens: T, width: C)
        for b in 0..<B {
            for i in 0..<C {
                let column = (0..<lengths[b]).map { h[(b * T + $0) * C + i] }
                let best = column.max()!
                XCTAssertEqual(Double(out[b * C + i]), best, "sequence \(b) feature \(i)")
                XCTAssertEqual(Int(argmax[b * C + i]), column.firstIndex(of: best)!, "sequence \(b) feature \(i)")
            }
        }
    }

    func testEmbeddingLookupAndBagOfEmbeddings() {
        let table = random(6 * C), ids = [2, 5, 2, 0, 1, 1, 3, 4, 0, 0, 0, 5]  // (B, T); id 2 repeats
        let r = random(B * C)
        // Bag of embeddings: mean of the looked-up rows over real tokens.
        func bag(_ table: [Double]) -> [Double] {
            referencePooling(.mean, hidden: referenceEmbeddingLookup(table: table, ids: ids, width: C), lengths: lengths, batch: B, tokens: T, width: C)
        }
        let dRows = referencePoolingBackward(.mean, hidden: [Double](repeating: 0, count: B * T * C), dOut: r, lengths: lengths, batch: B,
                                             tokens: T, width: C)
        let g = referenceEmbeddingBackward(dOut: dRows, ids: ids, rows: 6, width: C)
        checkGradient("bag of embeddings", at: table, analytic: g) { weightedSum(bag($0), r) }
        var fast = [Float](repeating: 0, count: table.count)
        embeddingBackward(dOut: dRows.map(Float.init), ids: ids.map(Int32.init), count: ids.count, width: C, dTable: &fast)
        XCTAssertEqual(fast.map(Double.init), g, accuracy: 1e-6)
    }

    func testPoolerDenseAndTanh() {
        let (rows, width) = (3, 4)
        let x = random(rows * width), w = random(width * width), b = random(width), r = random(rows * width)
        let z = referenceLinear(x: x, weight: w, bias: b, rows: rows, inFeatures: width, outFeatures: width)
        let dz = referenceTanhBackward(x: z, dy: r)
        let g = referenceLinearBackward(x: x, weight: w, dy: dz, rows: rows, inFeatures: width, outFeatures: width)
        checkGradient("pooler dx", at: x, analytic: g.dx) {
            weightedSum(referenceTanh(referenceLinear(x: $0, weight: w, bias: b, rows: rows, inFeatures: width, outFeatures: width)), r)
        }
        checkGradient("pooler dW", at: w, analytic: g.dWeight) {
            weightedSum(referenceTanh(referenceLinear(x: x, weight: $0, bias: b, rows: rows, inFeatures: width, outFeatures: width)), r)
        }
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > accuracy { return XCTFail("\(x) vs \(y)", file: file, line: line) }
}
