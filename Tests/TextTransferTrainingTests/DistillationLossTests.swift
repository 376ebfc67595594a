import XCTest
import TextTransferTraining

/// The distillation loss as the training step uses it: value and gradient against finite differences
/// (in Double), for the KL and MSE soft losses, with a row the teacher alone labels.
final class DistillationLossTests: XCTestCase {
    func testValueAndGradientMatchFiniteDifferences() {
        var rng = SystemRandomNumberGenerator()
        let (B, K) = (3, 4)
        let teacher = (0..<(B * K)).map { _ in Double.random(in: -3...3, using: &rng) }
        let labels = [2, -1, 0]  // the second row has no gold label
        for settings in [DistillationSettings(softLoss: .kl, temperature: 2, alpha: 0.3), DistillationSettings(softLoss: .mse, alpha: 0.5),
                         DistillationSettings(softLoss: .kl, temperature: 1, alpha: 0)] {
            let student = (0..<(B * K)).map { _ in Double.random(in: -3...3, using: &rng) }
            let (_, gradient) = Distillation.loss(student: student, teacher: teacher, labels: labels, classes: K, settings: settings)
            for i in student.indices {
                var plus = student, minus = student
                plus[i] += 1e-6
                minus[i] -= 1e-6
                let numeric = (Distillation.loss(student: plus, teacher: teacher, labels: labels, classes: K, settings: settings).loss
                    - Distillation.loss(student: minus, teacher: teacher, labels: labels, classes: K, settings: settings).loss) / 2e-6
                XCTAssertEqual(gradient[i], numeric, accuracy: 1e-6, "\(settings.softLoss) α \(settings.alpha): logit \(i)")
            }
        }
    }

    func testHardPartIsTheCrossEntropyOfTheLabelledRowsAndSoftPartTheTeachers() {
        let student: [Double] = [1, 0, 0, 2], teacher: [Double] = [1, 0, 0, 2]
        // Student equals teacher: the KL part is 0, so the loss is α · CE of the one labelled row.
        let settings = DistillationSettings(softLoss: .kl, temperature: 3, alpha: 0.25)  // exact in Float
        let (loss, _) = Distillation.loss(student: student, teacher: teacher, labels: [0, -1], classes: 2, settings: settings)
        let ce = -log(exp(1.0) / (exp(1.0) + exp(0.0)))
        XCTAssertEqual(loss, 0.25 * ce, accuracy: 1e-12)
    }

    /// Hidden-state matching: its gradient is the loss's finite difference; a student state pointing where the
    /// teacher's points (at any length) costs nothing; settings saved before β existed read as β = 0.
    func testHiddenStateLossGradientAndZeroAtTheTeachersDirection() throws {
        let student: [Double] = [0.3, -1.2, 0.8, 0.05, 2.0, -0.4, 0, 0.1, 1.5]
        let teacher: [Double] = [1.0, 0.2, -0.5, 0.0, 2.5, 0.1, -1.0, -1.0, 0.3]
        let g = Distillation.hiddenStateLoss(student: student, teacher: teacher, width: 3, weight: 0.6).gradient
        for (i, x) in student.enumerated() {
            var (plus, minus) = (student, student)
            plus[i] = x + 1e-6
            minus[i] = x - 1e-6
            let numeric = (Distillation.hiddenStateLoss(student: plus, teacher: teacher, width: 3, weight: 0.6).loss
                - Distillation.hiddenStateLoss(student: minus, teacher: teacher, width: 3, weight: 0.6).loss) / 2e-6
            XCTAssertEqual(g[i], numeric, accuracy: 1e-7, "state[\(i)]")
        }
        let along = Distillation.hiddenStateLoss(student: teacher.map { 3 * $0 }, teacher: teacher, width: 3, weight: 0.6)
        XCTAssertEqual(along.loss, 0, accuracy: 1e-12)
        XCTAssertEqual(along.gradient.map(abs).max()!, 0, accuracy: 1e-12)
        let opposite = Distillation.hiddenStateLoss(student: teacher.map { -$0 }, teacher: teacher, width: 3, weight: 0.6)
        XCTAssertEqual(opposite.loss, 0.6 * 2, accuracy: 1e-12)
        let old = try JSONDecoder().decode(DistillationSettings.self, from: Data(#"{"soft_loss": "kl", "temperature": 2, "alpha": 0.5}"#.utf8))
        XCTAssertEqual(old, DistillationSettings())
        let saved = try JSONDecoder().decode(DistillationSettings.self, from: JSONEncoder().encode(DistillationSettings(hiddenWeight: 0.25)))
        XCTAssertEqual(saved.hiddenWeight, 0.25)
    }
}
