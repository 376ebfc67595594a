import CTextTransferBLAS
import _TextTransferVectorKernels

/// C = alpha · op(A) · op(B) + beta · C, row-major, through OpenBLAS `cblas_sgemm`.
/// op(A) is (m, k), op(B) is (k, n), C is (m, n); lda/ldb/ldc are row strides in elements.
@inlinable
package func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// C = op(A) · op(B) in double precision, row-major, through `cblas_dgemm`: the domain-adaptation
/// solvers (CORAL, TCA) and logistic regression, whose covariance and kernel matrices want more than
/// float's digits. OpenBLAS runs on one thread (see `ComputeThreads.set`), so a large product is split
/// across `ComputeThreads` by rows of C, or by its columns when it has few rows (a 2-class gradient).
package func gemmDouble(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    func product(m: Int, n: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
    guard m * n * k >= 1 << 20, ComputeThreads.count > 1 else { return product(m: m, n: n, a: a, b: b, c: c) }
    if m >= n {
        // Rows r of op(A): rows of A, or columns of A when transposed.
        ComputeThreads.parallelFor(m) { r in
            product(m: r.count, n: n, a: a + (transposeA ? r.lowerBound : r.lowerBound * lda), b: b, c: c + r.lowerBound * ldc)
        }
    } else {
        // Columns r of op(B): columns of B, or rows of B when transposed.
        ComputeThreads.parallelFor(n) { r in
            product(m: m, n: r.count, a: a, b: b + (transposeB ? r.lowerBound * ldb : r.lowerBound), c: c + r.lowerBound)
        }
    }
}

/// y = op(A) · x in double precision, A (rows × columns) row-major, through `cblas_dgemv`, split across
/// `ComputeThreads` by the entries of y. For a product with one or two columns of output (logistic
/// regression's logits and gradient on two classes) it reads A once where `gemmDouble` would copy it
/// into packed panels first, which was two thirds of the time.
package func gemvDouble(transposeA: Bool = false, rows: Int, columns: Int, a: UnsafePointer<Double>, lda: Int,
                        x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
    guard rows > 0, columns > 0 else { return }
    let outputs = transposeA ? columns : rows
    func product(_ r: Range<Int>) {
        if transposeA {
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(r.count), 1, a + r.lowerBound, Int32(lda), x, 1, 0, y + r.lowerBound, 1)
        } else {
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(r.count), Int32(columns), 1, a + r.lowerBound * lda, Int32(lda), x, 1, 0, y + r.lowerBound, 1)
        }
    }
    guard rows * columns >= 1 << 18, ComputeThreads.count > 1 else { return product(0..<outputs) }
    ComputeThreads.parallelFor(outputs) { product($0) }
}
