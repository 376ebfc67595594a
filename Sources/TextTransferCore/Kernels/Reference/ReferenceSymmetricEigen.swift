/// The plain twin of `symmetricEigen`: cyclic Jacobi rotations on a full symmetric matrix (row-major),
/// eigenvalues ascending with their eigenvectors as rows.
package func referenceSymmetricEigen(_ matrix: [Double], dimension n: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
        var off = 0.0
        for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] } }
        if off < 1e-26 { break }
        for p in 0..<n {
            for q in (p + 1)..<max(p + 1, n) where abs(a[p * n + q]) > 1e-300 {
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {  // A ← A·J
                    let (akp, akq) = (a[k * n + p], a[k * n + q])
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {  // A ← Jᵀ·A
                    let (apk, aqk) = (a[p * n + k], a[q * n + k])
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0..<n {  // V ← V·J, eigenvectors in V's columns
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q])
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<n).sorted { a[$0 * n + $0] < a[$1 * n + $1] }
    return (order.map { a[$0 * n + $0] }, order.flatMap { i in (0..<n).map { v[$0 * n + i] } })
}
