import Foundation
import XCTest
import TextTransfer

/// A whole classifier (the committed small export fixtures) in bf16 and int8: its encoder's Linear layers
/// run packed, its logits stay close to fp32's and its labels the same, and they are not fp32's bit for bit.
final class PrecisionInferenceTests: XCTestCase {
    func testReducedPrecisionClassifiersAgreeWithFloat32() throws {
        let root = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/export").path
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/export_parity.json"))) as? [String: Any]
        let texts = try XCTUnwrap(fixture?["texts"] as? [String])
        for name in ["mean_softmax", "pooler_softmax", "cls_ordinal"] {
            let directory = root + "/classifiers/" + name
            let reference = try TextClassifier(directory: directory).logits(texts)
            let spread = reference.flatMap { $0 }.map { abs($0) }.max()!
            for (precision, tolerance) in [(Precision.bf16, Float(0.02)), (.int8, Float(0.05))] {
                let classifier = try TextClassifier(directory: directory, precision: precision)
                XCTAssertEqual(classifier.encoder?.precision, precision)
                let logits = classifier.logits(texts)
                let worst = zip(logits.flatMap { $0 }, reference.flatMap { $0 }).map { abs($0 - $1) }.max()!
                XCTAssertLessThan(worst, tolerance * max(1, spread), "\(name) \(precision): worst logit difference \(worst)")
                XCTAssertGreaterThan(worst, 0, "\(name) \(precision) must not compute in fp32")
                let agree = zip(logits, reference).filter { classifier.prediction(fromLogits: $0).label == classifier.prediction(fromLogits: $1).label }.count
                XCTAssertGreaterThanOrEqual(Double(agree), 0.9 * Double(texts.count), "\(name) \(precision): labels")
            }
        }
    }
}
