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
    /// The weight β of hidden-state matching for a Transformer student (DistilBERT's cosine loss): β times
    /// the mean of 1 − cos(student's pooled state, teacher's) is added to the loss; 0 leaves it out.
    public var hiddenWeight: Float = 0

    public init(softLoss: SoftLoss = .kl, temperature: Float = 2, alpha: Float = 0.5, hiddenWeight: Float = 0) {
        (self.softLoss, self.temperature, self.alpha, self.hiddenWeight) = (softLoss, temperature, alpha, hiddenWeight)
    }

    enum CodingKeys: String, CodingKey { case softLoss = "soft_loss", temperature, alpha, hiddenWeight = "hidden_weight" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        softLoss = try c.decode(SoftLoss.self, forKey: .softLoss)
        temperature = try c.decode(Float.self, forKey: .temperature)
        alpha = try c.decode(Float.self, forKey: .alpha)
        hiddenWeight = try c.decodeIfPresent(Float.self, forKey: .hiddenWeight) ?? 0  // saved before it existed
    }
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

    /// Hidden-state matching: weight · the mean over the batch of 1 − cos(student row, teacher row), for
    /// rows of `width` (row-major), and its gradient with respect to the student's rows. A zero row has no
    /// direction: norms are floored at 1e-8, as PyTorch's cosine_similarity floors them.
    public static func hiddenStateLoss<T: Real & BinaryFloatingPoint>(student: [T], teacher: [T], width: Int, weight: T) -> (loss: T, gradient: [T]) {
        precondition(width > 0 && student.count == teacher.count && student.count % width == 0, "student and teacher states must both be B × \(width)")
        let rows = student.count / width
        var loss: T = 0
        var gradient = [T](repeating: 0, count: student.count)
        for b in 0..<rows {
            let range = (b * width)..<((b + 1) * width)
            var (dot, ss, tt): (T, T, T) = (0, 0, 0)
            for j in range { (dot, ss, tt) = (dot + student[j] * teacher[j], ss + student[j] * student[j], tt + teacher[j] * teacher[j]) }
            let (ns, nt) = (Swift.max(T.sqrt(ss), T(1) / 100_000_000), Swift.max(T.sqrt(tt), T(1) / 100_000_000))
            let cosine = dot / (ns * nt)
            loss += 1 - cosine
            // ∂(1 − cos)/∂s = −(t/(|s||t|) − cos · s/|s|²)
            let (across, along) = (weight / T(rows) / (ns * nt), weight / T(rows) * cosine / (ns * ns))
            for j in range { gradient[j] = along * student[j] - across * teacher[j] }
        }
        return (weight * loss / T(rows), gradient)
    }
}
