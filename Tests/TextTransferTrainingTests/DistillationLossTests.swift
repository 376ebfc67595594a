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
}
