import XCTest
import TextTransferCore
import TextTransferTraining

/// L2-SP: the penalty's value and gradient against finite differences, and what it anchors.
final class L2SPPenaltyTests: XCTestCase {
    func store() -> ParameterStore {
        let store = ParameterStore([("encoder.weight", [3, 2]), ("encoder.bias", [3]), ("classifier.weight", [2, 3])])
        for i in 0..<store.count { store.values.pointer[i] = Float(i % 7) * 0.25 - 0.5 }
        return store
    }

    /// α/2·‖θ − θ₀‖² as a plain loop in Double over the anchored names.
    func penalty(_ store: ParameterStore, anchor: [String: [Float]], strength: Double) -> Double {
        anchor.reduce(0.0) { sum, entry in
            let values = store.value(entry.key).values
            return sum + zip(values, entry.value).reduce(0.0) { $0 + 0.5 * strength * pow(Double($1.0 - $1.1), 2) }
        }
    }

    func testValueAndGradientMatchFiniteDifferences() {
        let s = store()
        let anchored = ["encoder.weight", "encoder.bias"]
        let anchor = Dictionary(uniqueKeysWithValues: anchored.map { ($0, s.value($0).values) })
        let l2sp = L2SPPenalty(store: s, strength: 0.3) { $0.hasPrefix("encoder.") }
        XCTAssertEqual(l2sp.anchoredNames, anchored)
        XCTAssertEqual(l2sp.addGradient(to: s), 0, "no penalty at the anchor")
        // Move every parameter, then compare the penalty and its gradient with the plain loop.
        for i in 0..<s.count { s.values.pointer[i] += Float(i % 5) * 0.1 - 0.2 }
        s.zeroGradients()
        let value = l2sp.addGradient(to: s)
        XCTAssertEqual(Double(value), penalty(s, anchor: anchor, strength: 0.3), accuracy: 1e-6)
        for name in anchored {
            let p = s.parameter(name)!
            for i in 0..<p.count {
                let x = s.values.pointer + p.offset + i
                let saved = x.pointee
                let h: Float = 1e-2
                x.pointee = saved + h
                let up = penalty(s, anchor: anchor, strength: 0.3)
                x.pointee = saved - h
                let down = penalty(s, anchor: anchor, strength: 0.3)
                x.pointee = saved
                XCTAssertEqual(Double(s.gradients.pointer[p.offset + i]), (up - down) / (2 * Double(h)), accuracy: 1e-5, "\(name)[\(i)]")
            }
        }
        XCTAssertEqual(s.gradient("classifier.weight").values, [Float](repeating: 0, count: 6), "the head is not anchored")
    }

    func testFrozenParametersGetNoGradient() {
        let s = store()
        let l2sp = L2SPPenalty(store: s, strength: 1) { $0.hasPrefix("encoder.") }
        for i in 0..<s.count { s.values.pointer[i] += 1 }
        s.setTrainable(false, matching: "encoder.bias")
        s.zeroGradients()
        let value = l2sp.addGradient(to: s)
        XCTAssertEqual(value, 0.5 * 6, accuracy: 1e-6, "only the trainable weight's 6 elements, each moved by 1")
        XCTAssertEqual(s.gradient("encoder.weight").values, [Float](repeating: 1, count: 6))
        XCTAssertEqual(s.gradient("encoder.bias").values, [Float](repeating: 0, count: 3))
    }
}
