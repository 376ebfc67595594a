import CTextTransferBLAS

/// C = alpha · op(A) · op(B) + beta · C, row-major, through OpenBLAS `cblas_sgemm`.
/// op(A) is (m, k), op(B) is (k, n), C is (m, n); lda/ldb/ldc are row strides in elements.
@inlinable
public func gemm(
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

/// Y = X · Wᵀ + b, the PyTorch `nn.Linear` convention: X (rows, inFeatures), W (outFeatures, inFeatures),
/// b (outFeatures) or nil, Y (rows, outFeatures).
public func linearForward(
    x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, rows: Int, inFeatures: Int, outFeatures: Int
) {
    if let bias {
        // Start Y at the bias so the product accumulates onto it: one pass over Y instead of two.
        for r in 0..<rows { (y + r * outFeatures).update(from: bias, count: outFeatures) }
    }
    gemm(transposeB: true, m: rows, n: outFeatures, k: inFeatures,
         a: x, lda: inFeatures, b: weight, ldb: inFeatures,
         beta: bias == nil ? 0 : 1, c: y, ldc: outFeatures)
}
