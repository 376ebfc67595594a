import RealModule

/// Mean binary cross-entropy with logits over all (B, K) entries (multi-label), PyTorch's
/// `binary_cross_entropy_with_logits`: max(z, 0) − z·y + log(1 + e^−|z|). Targets are 0 or 1.
public func binaryCrossEntropyWithLogits<T: Real>(logits: [T], targets: [T]) -> (loss: T, gradient: [T]) {
    precondition(logits.count == targets.count, "\(logits.count) logits for \(targets.count) targets")
    let n = T(logits.count)
    var loss: T = 0
    var gradient = [T](repeating: 0, count: logits.count)
    for i in logits.indices {
        let z = logits[i], y = targets[i]
        loss += Swift.max(z, 0) - z * y + T.log(1 + T.exp(-abs(z)))
        gradient[i] = (1 / (1 + T.exp(-z)) - y) / n
    }
    return (loss / n, gradient)
}

/// Mean squared error.
public func meanSquaredError<T: Real>(predictions: [T], targets: [T]) -> (loss: T, gradient: [T]) {
    precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
    let n = T(predictions.count)
    let d = zip(predictions, targets).map { $0 - $1 }
    return (d.reduce(0) { $0 + $1 * $1 } / n, d.map { 2 * $0 / n })
}

/// Mean Huber loss (PyTorch `HuberLoss`): ½d² where |d| < δ, else δ(|d| − ½δ).
public func huberLoss<T: Real>(predictions: [T], targets: [T], delta: T = 1) -> (loss: T, gradient: [T]) {
    precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
    let n = T(predictions.count)
    var loss: T = 0
    var gradient = [T](repeating: 0, count: predictions.count)
    for i in predictions.indices {
        let d = predictions[i] - targets[i]
        if abs(d) < delta {
            loss += d * d / 2
            gradient[i] = d / n
        } else {
            loss += delta * (abs(d) - delta / 2)
            gradient[i] = delta * (d > 0 ? 1 : -1) / n
        }
    }
    return (loss / n, gradient)
}

/// Distillation loss (Hinton et al.): τ² · KL(softmax(teacher/τ) ‖ softmax(student/τ)), averaged over the
/// batch (PyTorch `kl_div(..., reduction="batchmean")` scaled by τ²). Gradient with respect to the
/// student's logits (B, K).
public func distillationKL<T: Real>(student: [T], teacher: [T], classes K: Int, temperature: T) -> (loss: T, gradient: [T]) {
    precondition(student.count == teacher.count && student.count % K == 0, "student and teacher logits must both be B × \(K)")
    let B = student.count / K
    func logSoftmax(_ z: ArraySlice<T>) -> [T] {
        let scaled = z.map { $0 / temperature }
        let top = scaled.max()!
        let logSum = T.log(scaled.reduce(0) { $0 + T.exp($1 - top) }) + top
        return scaled.map { $0 - logSum }
    }
    var loss: T = 0
    var gradient = [T](repeating: 0, count: student.count)
    for b in 0..<B {
        let ls = logSoftmax(student[(b * K)..<((b + 1) * K)]), lt = logSoftmax(teacher[(b * K)..<((b + 1) * K)])
        for c in 0..<K {
            let pt = T.exp(lt[c])
            loss += pt * (lt[c] - ls[c])
            gradient[b * K + c] = temperature * (T.exp(ls[c]) - pt) / T(B)
        }
    }
    return (temperature * temperature * loss / T(B), gradient)
}
