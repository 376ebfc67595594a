import Foundation
import XCTest
@testable import TextTransferCore

/// The packed fp32, bf16 and int8 Linear kernels — the vector path this CPU picks and the portable path —
/// against the plain twin that rounds the same way, on odd shapes and on both ways of splitting the work.
final class PackedLinearTwinTests: XCTestCase {
    var rng = SeededGenerator(seed: 7)

    func random(_ n: Int) -> [Float] { (0..<n).map { _ in Float.random(in: -1...1, using: &rng) } }

    func run(_ precision: Precision, _ x: [Float], _ w: [Float], _ b: [Float]?, rows: Int, inF: Int, outF: Int, vector: Bool) -> [Float] {
        let layer = w.withUnsafeBufferPointer { w in
            withExtendedLifetime(b) {
                PackedLinear(precision: precision, weight: w.baseAddress!, bias: b.map { UnsafePointer($0) }, outFeatures: outF, inFeatures: inF)
            }
        }
        var y = [Float](repeating: .nan, count: rows * outF)
        layer.forward(x: x, y: &y, rows: rows, vectorKernel: vector)
        return y
    }

    func testEachPrecisionMatchesItsTwinOnOddShapes() {
        // rows past 64 × threads split by rows, fewer by output panels; widths not multiples of 2, 4 or 16
        for (rows, inF, outF) in [(1, 1, 1), (7, 13, 5), (9, 37, 50), (17, 384, 49), (3, 64, 16), (150, 30, 33), (260, 20, 7)] {
            let x = random(rows * inF), w = random(outF * inF), b = random(outF)
            for precision in Precision.allCases {
                let plain = referencePackedLinear(precision: precision, x: x, weight: w, bias: b, rows: rows, inFeatures: inF, outFeatures: outF)
                for vector in [true, false] {
                    let fast = run(precision, x, w, b, rows: rows, inF: inF, outF: outF, vector: vector)
                    // int8 sums integers: equal to the last bit; fp32 and bf16 add in the same order too,
                    // but the instructions may fuse or flush denormals differently.
                    let tolerance: Float = precision == .int8 ? 0 : 1e-5 * Float(inF).squareRoot()
                    for (i, (f, p)) in zip(fast, plain).enumerated() where !(abs(f - p) <= tolerance * max(1, abs(p))) {
                        XCTFail("\(precision) \(vector ? "vector" : "portable") \(rows)x\(inF)->\(outF): element \(i) is \(f), the twin gives \(p)")
                        break
                    }
                }
            }
        }
    }

    func testReducedPrecisionStaysCloseToFloat32() {
        let (rows, inF, outF) = (12, 384, 40)
        let x = random(rows * inF), w = random(outF * inF)
        let exact = referenceLinear(x: x.map(Double.init), weight: w.map(Double.init), bias: nil, rows: rows, inFeatures: inF, outFeatures: outF)
        let scale = exact.map { abs($0) }.max()!
        for (precision, bound) in [(Precision.bf16, 0.02), (.int8, 0.05)] {
            let y = run(precision, x, w, nil, rows: rows, inF: inF, outF: outF, vector: true)
            let worst = zip(y, exact).map { abs(Double($0) - $1) }.max()!
            XCTAssertLessThan(worst / scale, bound, "\(precision): worst error \(worst) against outputs up to \(scale)")
            XCTAssertGreaterThan(worst, 0, "\(precision) rounds: it cannot equal fp32 exactly")
        }
    }

    func testANonFiniteInputRowGivesNonFiniteOutputsInEveryPrecision() {
        let (rows, inF, outF) = (3, 20, 18)
        var x = random(rows * inF)
        x[inF + 4] = .nan
        let w = random(outF * inF)
        for precision in Precision.allCases {
            let y = run(precision, x, w, nil, rows: rows, inF: inF, outF: outF, vector: true)
            XCTAssertTrue(y[outF..<(2 * outF)].allSatisfy { $0.isNaN }, "\(precision): the NaN row")
            XCTAssertTrue(y[0..<outF].allSatisfy { $0.isFinite } && y[(2 * outF)...].allSatisfy { $0.isFinite }, "\(precision): the other rows")
        }
    }

    func testBFloat16RoundsToNearestEven() {
        XCTAssertEqual(referenceBFloat16(1), 1)
        XCTAssertEqual(referenceBFloat16(Float(bitPattern: 0x3f80_8000)), 1, "a tie rounds to the even mantissa")
        XCTAssertEqual(referenceBFloat16(Float(bitPattern: 0x3f81_8000)), Float(bitPattern: 0x3f82_0000), "a tie rounds up to even")
        XCTAssertEqual(referenceBFloat16(Float(bitPattern: 0x3f80_8001)), Float(bitPattern: 0x3f81_0000))
        for v: Float in [1, -2.5, 3.0e-3, 65504, .nan] {
            let bits = UInt32(bfloat16Bits(v)) << 16
            XCTAssertEqual(Float(bitPattern: bits).isNaN, v.isNaN)
            if !v.isNaN { XCTAssertEqual(Float(bitPattern: bits), referenceBFloat16(v), "C and Swift round \(v) alike") }
        }
    }
}
