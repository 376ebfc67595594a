import Foundation
import RealModule

/// How a student learns from a teacher's logits (Hinton et al. 2015; Tang et al. 2019).
public struct DistillationSettings: Codable, Sendable, Equatable {
    /// What the soft part of the loss compares.
    public enum SoftLoss: String, Codable, Sendable, CaseIterable {
        /// T² · KL(softmax(teacher/T) ‖ softmax(student/T)), Hinton et al.
        case kl
        /// Mean squared error between the logits, as Tang et al. train their BiLSTM.
        case mse
    }

    public var softLoss = SoftLoss.kl
    /// The softmax temperature T of the KL loss.
    public var temperature: Float = 2
    /// The weight α of the hard-label loss: loss = (1 − α) · soft + α · cross-entropy on the gold labels
    /// (over the examples that have one; the unlabelled transfer set has only the teacher's).
    public var alpha: Float = 0.5

    public init(softLoss: SoftLoss = .kl, temperature: Float = 2, alpha: Float = 0.5) {
        (self.softLoss, self.temperature, self.alpha) = (softLoss, temperature, alpha)
    }

    enum CodingKeys: String, CodingKey { case softLoss = "soft_loss", temperature, alpha }
}

/// The distillation loss of a batch.
public enum Distillation {
    /// (1 − α) · soft(student, teacher) + α · CE(student, labels), averaged over the batch (the hard part
    /// over the labelled rows: label −1 marks a row the teacher alone labels). Logits (B · K) row-major;
    /// returns the loss and dLoss/d(student logits).
    public static func loss<T: Real & BinaryFloatingPoint>(student: [T], teacher: [T], labels: [Int], classes K: Int,
                                                           settings: DistillationSettings) -> (loss: T, gradient: [T]) {
        precondition(student.count == teacher.count && student.count == labels.count * K, "student and teacher logits must both be B × \(K)")
        let alpha = T(settings.alpha)
        let (soft, softGradient) = settings.softLoss == .kl
            ? distillationKL(student: student, teacher: teacher, classes: K, temperature: T(settings.temperature))
            : meanSquaredError(predictions: student, targets: teacher)
        var loss = (1 - alpha) * soft
        var gradient = softGradient.map { (1 - alpha) * $0 }
        let labelled = labels.indices.filter { labels[$0] >= 0 }
        if alpha > 0 && !labelled.isEmpty {
            let rows = labelled.flatMap { b in student[(b * K)..<((b + 1) * K)] }
            let (hard, hardGradient) = softmaxCrossEntropy(logits: rows, labels: labelled.map { labels[$0] }, classes: K)
            loss += alpha * hard
            for (i, b) in labelled.enumerated() {
                for k in 0..<K { gradient[b * K + k] += alpha * hardGradient[i * K + k] }
            }
        }
        return (loss, gradient)
    }
}
