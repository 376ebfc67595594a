import TextTransferCore

/// A row-major matrix of doubles, with the few operations the domain-adaptation solvers need: products
/// through BLAS, and functions of symmetric matrices through their eigendecomposition (LAPACK).
struct DenseMatrix: Equatable {
    var rows: Int, columns: Int
    var values: [Double]

    init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "\(values.count) values for \(rows) × \(columns)")
        (self.rows, self.columns, self.values) = (rows, columns, values)
    }
    init(zeros rows: Int, _ columns: Int) { self.init(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns)) }
    init(_ rows: [[Float]]) { self.init(rows: rows.count, columns: rows.first?.count ?? 0, values: rows.flatMap { $0.map(Double.init) }) }
    static func identity(_ n: Int, scale: Double = 1) -> DenseMatrix {
        var m = DenseMatrix(zeros: n, n)
        for i in 0..<n { m.values[i * n + i] = scale }
        return m
    }

    subscript(r: Int, c: Int) -> Double {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// op(self) · op(other).
    func times(_ other: DenseMatrix, transposingSelf: Bool = false, transposingOther: Bool = false) -> DenseMatrix {
        let m = transposingSelf ? columns : rows, k = transposingSelf ? rows : columns
        let n = transposingOther ? other.rows : other.columns
        precondition(k == (transposingOther ? other.columns : other.rows), "inner sizes differ")
        var out = DenseMatrix(zeros: m, n)
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.values.withUnsafeMutableBufferPointer { c in
                    gemmDouble(transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k, a: a.baseAddress!, lda: columns,
                               b: b.baseAddress!, ldb: other.columns, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    static func + (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ")
        return DenseMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map(+))
    }

    /// The mean of the rows.
    var columnMeans: [Double] {
        var mean = [Double](repeating: 0, count: columns)
        for r in 0..<rows { for c in 0..<columns { mean[c] += values[r * columns + c] } }
        return mean.map { $0 / Double(max(rows, 1)) }
    }

    /// The rows minus `mean`.
    func subtracting(rowVector mean: [Double]) -> DenseMatrix {
        var out = self
        for r in 0..<rows { for c in 0..<columns { out.values[r * columns + c] -= mean[c] } }
        return out
    }

    /// The covariance of the rows (divided by n − 1, as NumPy's cov).
    var covariance: DenseMatrix {
        let centered = subtracting(rowVector: columnMeans)
        var c = centered.times(centered, transposingSelf: true)
        let scale = 1 / Double(max(rows - 1, 1))
        for i in c.values.indices { c.values[i] *= scale }
        return c
    }

    /// Eigenvalues (ascending) and eigenvectors (row i belongs to value i) of this symmetric matrix.
    var symmetricEigen: (values: [Double], vectors: DenseMatrix) {
        precondition(rows == columns, "a square matrix")
        let (w, v) = TextTransferCore.symmetricEigen(values, dimension: rows, triangle: "L")  // row-major = column-major for a symmetric matrix
        return (w, DenseMatrix(rows: rows, columns: rows, values: v))
    }

    /// V diag(f(w)) Vᵀ: a function of this symmetric matrix's eigenvalues.
    func symmetricFunction(_ f: (Double) -> Double) -> DenseMatrix {
        let (w, v) = symmetricEigen
        let n = rows
        var scaled = v  // row i = eigenvector i, scaled by f(w_i)
        for i in 0..<n {
            let s = f(w[i])
            for j in 0..<n { scaled.values[i * n + j] *= s }
        }
        return v.times(scaled, transposingSelf: true)  // Σ_i v_i f(w_i) v_iᵀ
    }

    var asFloatRows: [[Float]] { (0..<rows).map { r in (0..<columns).map { Float(values[r * columns + $0]) } } }

    /// ‖a_i − b_j‖² (rows of a × rows of b), from one product: the RBF kernels' distances.
    static func squaredDistances(_ a: DenseMatrix, _ b: DenseMatrix) -> DenseMatrix {
        var out = a.times(b, transposingOther: true)
        let na = (0..<a.rows).map { r in (0..<a.columns).reduce(0.0) { $0 + a[r, $1] * a[r, $1] } }
        let nb = (0..<b.rows).map { r in (0..<b.columns).reduce(0.0) { $0 + b[r, $1] * b[r, $1] } }
        for i in 0..<a.rows { for j in 0..<b.rows { out[i, j] = max(0, na[i] + nb[j] - 2 * out[i, j]) } }
        return out
    }

    /// For a square matrix of squared distances: the median distance between distinct rows (the mean of
    /// the middle two for an even count; 1 when there is none or it is 0) — the median heuristic's σ.
    var medianOffDiagonalDistance: Double {
        var values: [Double] = []
        values.reserveCapacity(rows * (rows - 1) / 2)
        for i in 0..<rows { for j in (i + 1)..<rows { values.append(self[i, j].squareRoot()) } }
        values.sort()
        guard !values.isEmpty else { return 1 }
        let m = values.count
        let middle = m % 2 == 1 ? values[m / 2] : (values[m / 2 - 1] + values[m / 2]) / 2
        return middle > 0 ? middle : 1
    }
}
