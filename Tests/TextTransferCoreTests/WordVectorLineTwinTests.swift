import XCTest
@testable import TextTransferCore

/// The word-vector line kernel (C, vectorized) against its plain Swift twin: the same bits in both
/// matrices, the same loss, update count, random state and touched rows, for skip-gram and CBOW; and
/// with the rows read from a shared store (a thread of several), the same rows trained as without one.
final class WordVectorLineTwinTests: XCTestCase {
    func testSkipgramAndCBOWMatchTheTwinBitForBit() {
        for cbow in [false, true] {
            for dimension in [1, 7, 8, 20, 100] {
                var rng = SeededGenerator(seed: UInt64(dimension) + (cbow ? 100 : 0))
                let words = 30, buckets = 50
                // Word w's rows: itself and 0–4 bucket rows.
                var start: [Int32] = [0], subwords: [Int32] = []
                for w in 0..<words {
                    subwords.append(Int32(w))
                    for _ in 0..<Int.random(in: 0...4, using: &rng) { subwords.append(Int32(words + Int.random(in: 0..<buckets, using: &rng))) }
                    start.append(Int32(subwords.count))
                }
                let keep = (0..<words).map { _ in Float.random(in: 0.3...1.2, using: &rng) }
                let negatives = (0..<200).map { _ in Int32.random(in: 0..<Int32(words), using: &rng) }
                let initial = (0..<(words + buckets) * dimension).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
                let initialOutput = (0..<words * dimension).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
                let line = (0..<40).map { _ in Int32.random(in: 0..<Int32(words), using: &rng) }

                // With `shared`, the thread's own stores start as NaN and the rows come from the shared
                // copies: a row it never wrote must stay NaN, one it wrote must equal the run without.
                func run(_ fast: Bool, shared: Bool = false) -> (input: [Float], output: [Float], loss: Double, updates: Int, random: UInt64, touched: [UInt8]) {
                    var input = shared ? [Float](repeating: .nan, count: initial.count) : initial
                    var output = shared ? [Float](repeating: .nan, count: initialOutput.count) : initialOutput
                    var touchedIn = [UInt8](repeating: 0, count: words + buckets), touchedOut = [UInt8](repeating: 0, count: words)
                    var random: UInt64 = 12345
                    var result = (loss: 0.0, updates: 0)
                    initial.withUnsafeBufferPointer { sharedIn in initialOutput.withUnsafeBufferPointer { sharedOut in
                    input.withUnsafeMutableBufferPointer { i in output.withUnsafeMutableBufferPointer { o in
                        start.withUnsafeBufferPointer { s in subwords.withUnsafeBufferPointer { r in keep.withUnsafeBufferPointer { k in
                            negatives.withUnsafeBufferPointer { n in touchedIn.withUnsafeMutableBufferPointer { ti in touchedOut.withUnsafeMutableBufferPointer { to in
                                let model = WordVectorModelView(input: i.baseAddress!, output: o.baseAddress!, dimension: dimension, subwordStart: s.baseAddress!,
                                                                subwords: r.baseAddress!, keep: k.baseAddress!, negatives: n, negativeSamples: 3, window: 4,
                                                                cbow: cbow, touchedInput: ti.baseAddress!, touchedOutput: to.baseAddress!,
                                                                sharedInput: shared ? sharedIn.baseAddress! : nil, sharedOutput: shared ? sharedOut.baseAddress! : nil)
                                if fast {
                                    var scratch = WordVectorLineScratch(dimension: dimension, longestLine: line.count, window: 4, mostSubwords: 5)
                                    result = line.withUnsafeBufferPointer { trainWordVectorLine(model, words: $0, learningRate: 0.05, random: &random, scratch: &scratch) }
                                } else {
                                    result = referenceWordVectorLine(model, words: line, learningRate: 0.05, random: &random)
                                }
                            } } }
                        } } }
                    } }
                    } }
                    return (input, output, result.loss, result.updates, random, touchedIn + touchedOut)
                }
                let fast = run(true), plain = run(false)
                let what = "\(cbow ? "cbow" : "skipgram") dim \(dimension)"
                XCTAssertGreaterThan(fast.updates, 10, what)
                XCTAssertEqual(fast.updates, plain.updates, what)
                XCTAssertEqual(fast.random, plain.random, what)
                XCTAssertEqual(fast.loss, plain.loss, what)
                XCTAssertEqual(fast.input.map(\.bitPattern), plain.input.map(\.bitPattern), what)
                XCTAssertEqual(fast.output.map(\.bitPattern), plain.output.map(\.bitPattern), what)
                XCTAssertEqual(fast.touched, plain.touched, what)
                XCTAssertNotEqual(fast.input, initial, "\(what): the line trained")

                let sharedFast = run(true, shared: true), sharedPlain = run(false, shared: true)
                XCTAssertEqual(sharedFast.input.map(\.bitPattern), sharedPlain.input.map(\.bitPattern), "\(what), shared")
                XCTAssertEqual(sharedFast.output.map(\.bitPattern), sharedPlain.output.map(\.bitPattern), "\(what), shared")
                XCTAssertEqual(sharedFast.touched, fast.touched, "\(what), shared")
                XCTAssertEqual(sharedFast.loss, fast.loss, "\(what), shared")
                for (own, (unshared, touched)) in zip(rows(sharedFast.input, sharedFast.output, dimension), zip(rows(fast.input, fast.output, dimension), fast.touched)) {
                    if touched == 1 {
                        XCTAssertEqual(own.map(\.bitPattern), unshared.map(\.bitPattern), "\(what): a row the thread wrote")
                    } else {
                        XCTAssertTrue(own.allSatisfy(\.isNaN), "\(what): a row the thread never wrote stays untouched")
                    }
                }
                XCTAssertTrue(fast.touched.contains(0), "\(what): some rows untouched")
            }
        }
    }

    /// The input rows then the output rows, each `dimension` wide.
    private func rows(_ input: [Float], _ output: [Float], _ dimension: Int) -> [ArraySlice<Float>] {
        stride(from: 0, to: input.count, by: dimension).map { input[$0..<$0 + dimension] }
            + stride(from: 0, to: output.count, by: dimension).map { output[$0..<$0 + dimension] }
    }
}
