import CTextTransferBLAS

/// Principal component analysis as scikit-learn's `PCA(svd_solver="full")` computes it: the data are
/// centred, the components are the covariance matrix's eigenvectors by decreasing eigenvalue, and each
/// component's sign is chosen as sklearn's `svd_flip(u_based_decision=False)` does — its largest-magnitude
/// loading positive — so that the projections match sklearn's, sign included.
public struct PrincipalComponents: Sendable {
    /// The mean of the fitted rows (D).
    public let mean: [Float]
    /// The components, row-major (k × D).
    public let components: [Float]
    /// The variance along each component (k), largest first.
    public let explainedVariance: [Double]
    public var count: Int { explainedVariance.count }
    public var dimension: Int { mean.count }

    /// Fits `k` components to `rows` (N × D, row-major), in double precision.
    public init(fitting rows: UnsafePointer<Float>, count n: Int, dimension d: Int, components k: Int) {
        precondition(n >= 2 && d >= 1 && (1...d).contains(k), "PCA of \(n) rows of \(d) into \(k) components")
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { mean[j] += Double(rows[r * d + j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = [Double](repeating: 0, count: n * d)
        for r in 0..<n { for j in 0..<d { centred[r * d + j] = Double(rows[r * d + j]) - mean[j] } }
        // Covariance (D × D); only the upper triangle (row-major) is written, which is LAPACK's lower.
        var covariance = [Double](repeating: 0, count: d * d)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(n), 1 / Double(n - 1), centred, Int32(d), 0, &covariance, Int32(d))
        let (values, vectors) = symmetricEigen(covariance, dimension: d, triangle: "L")
        var components = [Float](repeating: 0, count: k * d)
        var variance = [Double](repeating: 0, count: k)
        for c in 0..<k {
            let column = d - 1 - c  // LAPACK orders eigenvalues ascending
            variance[c] = max(values[column], 0)
            var largest = 0.0
            for j in 0..<d where abs(vectors[column * d + j]) > abs(largest) { largest = vectors[column * d + j] }
            let sign = largest < 0 ? -1.0 : 1.0
            for j in 0..<d { components[c * d + j] = Float(sign * vectors[column * d + j]) }
        }
        self.mean = mean.map { Float($0) }
        self.components = components
        explainedVariance = variance
    }

    /// The projections of `rows` (N × D) on the components: (N × k), row-major.
    public func transform(_ rows: UnsafePointer<Float>, count n: Int) -> [Float] {
        let (d, k) = (dimension, count)
        var centred = [Float](repeating: 0, count: n * d)
        for r in 0..<n { for j in 0..<d { centred[r * d + j] = rows[r * d + j] - mean[j] } }
        var out = [Float](repeating: 0, count: n * k)
        centred.withUnsafeBufferPointer { x in
            components.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    gemm(transposeB: true, m: n, n: k, k: d, a: x.baseAddress!, lda: d, b: w.baseAddress!, ldb: d, c: y.baseAddress!, ldc: k)
                }
            }
        }
        return out
    }
}

/// Eigenvalues (ascending) and eigenvectors (one per row of the result, in the same order) of a
/// symmetric matrix stored column-major with its `triangle` ("L" or "U") filled, through LAPACK dsyevd.
package func symmetricEigen(_ matrix: [Double], dimension n: Int, triangle: String) -> (values: [Double], vectors: [Double]) {
    var a = matrix, w = [Double](repeating: 0, count: n)
    var size = Int32(n), info: Int32 = 0
    var lwork: Int32 = -1, liwork: Int32 = -1, workQuery = 0.0, iworkQuery: Int32 = 0
    "V".withCString { jobz in
        triangle.withCString { uplo in
            dsyevd_(jobz, uplo, &size, &a, &size, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
            lwork = Int32(workQuery)
            liwork = iworkQuery
            var work = [Double](repeating: 0, count: Int(lwork)), iwork = [Int32](repeating: 0, count: Int(liwork))
            dsyevd_(jobz, uplo, &size, &a, &size, &w, &work, &lwork, &iwork, &liwork, &info)
        }
    }
    precondition(info == 0, "LAPACK dsyevd failed (info \(info)) on a \(n) × \(n) symmetric matrix")
    return (w, a)  // column-major eigenvectors: column i, which is row i read row-major
}
