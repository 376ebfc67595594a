import RealModule

/// Mean softmax cross-entropy over a batch, with PyTorch's `cross_entropy` semantics: optional label
/// smoothing ε (the target is (1−ε)·one-hot + ε/K) and class weights w (the mean is Σ wᵧ·lossᵢ / Σ wᵧ).
/// logits (B, K). Returns the loss and dLoss/dlogits (B, K). Generic so that the same plain loops are
/// checked in Double and run in Float.
public func softmaxCrossEntropy<T: Real>(logits: [T], labels: [Int], classes K: Int, labelSmoothing: T = 0,
                                         classWeights: [T]? = nil) -> (loss: T, gradient: [T]) {
    let B = labels.count
    precondition(logits.count == B * K, "logits \(logits.count) for batch \(B) × \(K) classes")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < K }, "labels must be in 0..<\(K)")
    let w = classWeights ?? [T](repeating: 1, count: K)
    let weightSum = w.reduce(0, +)
    var loss: T = 0, normalizer: T = 0
    var gradient = [T](repeating: 0, count: B * K)
    for b in 0..<B {
        let row = logits[(b * K)..<((b + 1) * K)]
        let top = row.max()!
        let logSum = T.log(row.reduce(0) { $0 + T.exp($1 - top) }) + top
        let y = labels[b]
        normalizer += w[y]
        for c in 0..<K {
            let logP = logits[b * K + c] - logSum
            let p = T.exp(logP)
            // weighted target: (1−ε)·wᵧ on the label, ε/K·w_c spread over all classes
            let target = (c == y ? (1 - labelSmoothing) * w[y] : 0) + labelSmoothing / T(K) * w[c]
            loss -= target * logP
            gradient[b * K + c] = p * ((1 - labelSmoothing) * w[y] + labelSmoothing / T(K) * weightSum) - target
        }
    }
    return (loss / normalizer, gradient.map { $0 / normalizer })
}
