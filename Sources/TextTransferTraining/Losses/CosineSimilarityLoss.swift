import RealModule

/// sentence-transformers' `CosineSimilarityLoss`, which SetFit trains its body with: the mean over pairs
/// of (cos(u, v) − y)², where u and v are rows of `embeddings` (rows × width, row-major) and y the pair's
/// target similarity (1 for a similar pair, 0 for a dissimilar one). Returns the gradient with respect
/// to every row; a row in several pairs sums their gradients.
public func cosineSimilarityLoss<T: Real>(embeddings: [T], width: Int, pairs: [(first: Int, second: Int, target: T)])
    -> (loss: T, gradient: [T]) {
    precondition(width > 0 && embeddings.count % width == 0, "embeddings must be rows of \(width)")
    precondition(!pairs.isEmpty, "the loss needs a pair")
    var gradient = [T](repeating: 0, count: embeddings.count)
    var loss: T = 0
    let n = T(pairs.count)
    // A zero vector has no direction: its norm is floored as PyTorch's cosine_similarity floors it (1e-8).
    func norm(_ row: Int) -> T {
        var s: T = 0
        for j in 0..<width { s += embeddings[row * width + j] * embeddings[row * width + j] }
        return Swift.max(T.sqrt(s), T(1) / 100_000_000)
    }
    for (a, b, y) in pairs {
        let (na, nb) = (norm(a), norm(b))
        var dot: T = 0
        for j in 0..<width { dot += embeddings[a * width + j] * embeddings[b * width + j] }
        let cosine = dot / (na * nb)
        let d = cosine - y
        loss += d * d
        // ∂cos/∂u = v/(|u||v|) − cos·u/|u|², and symmetrically for v.
        let scale: T = 2 * d / n
        let across: T = scale / (na * nb), alongA: T = scale * cosine / (na * na), alongB: T = scale * cosine / (nb * nb)
        for j in 0..<width {
            let u: T = embeddings[a * width + j], v: T = embeddings[b * width + j]
            gradient[a * width + j] += across * v - alongA * u
            gradient[b * width + j] += across * u - alongB * v
        }
    }
    return (loss / n, gradient)
}
