/// CORAL (Sun, Feng & Saenko, AAAI 2016): align the second-order statistics of the source features to the
/// target's — whiten the source with its own covariance, re-colour it with the target's:
/// x ↦ (x − μs) Cs^{−1/2} Ct^{1/2} + μt, with C = cov + λ·(mean variance)·I. The paper adds the identity
/// to both covariances for its large-scale CNN features; scaling λ by the features' own mean variance
/// makes one default fit normalized sentence embeddings as well, and a small λ keeps the target's shape
/// (a large one adds a sphere to it). Aligning the means too is the common variant.
public struct CORALAlignment: Sendable {
    /// Cs^{−1/2} Ct^{1/2}, d × d row-major.
    let transform: DenseMatrix
    let sourceMean: [Double], targetMean: [Double]
    public let regularization: Double

    public init(source: [[Float]], target: [[Float]], regularization: Double = 0.1) {
        precondition(!source.isEmpty && !target.isEmpty && source[0].count == target[0].count, "two samples of one width")
        precondition(regularization >= 0 && regularization.isFinite, "a finite, non-negative regularization")
        self.regularization = regularization
        let s = DenseMatrix(source), t = DenseMatrix(target)
        let d = s.columns
        func regularized(_ c: DenseMatrix) -> DenseMatrix {
            let meanVariance = (0..<d).reduce(0.0) { $0 + c[$1, $1] } / Double(d)
            return c + DenseMatrix.identity(d, scale: regularization * meanVariance)
        }
        let cs = regularized(s.covariance), ct = regularized(t.covariance)
        // Eigenvalues at the floor of rounding: a rank-deficient covariance (fewer points than dimensions).
        let whiten = cs.symmetricFunction { $0 > 1e-12 ? 1 / $0.squareRoot() : 0 }
        let colour = ct.symmetricFunction { $0 > 0 ? $0.squareRoot() : 0 }
        transform = whiten.times(colour)
        (sourceMean, targetMean) = (s.columnMeans, t.columnMeans)
    }

    /// The source rows (or any rows of the source's domain) as the target's statistics would have them.
    public func align(_ rows: [[Float]]) -> [[Float]] {
        guard !rows.isEmpty else { return [] }
        var aligned = DenseMatrix(rows).subtracting(rowVector: sourceMean).times(transform)
        for r in 0..<aligned.rows { for c in 0..<aligned.columns { aligned[r, c] += targetMean[c] } }
        return aligned.asFloatRows
    }
}
