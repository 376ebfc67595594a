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
/// b (outFeatures) or nil, Y (rows, outFeatures). Rows are split across `ComputeThreads`; a small product
/// is split by output columns instead, so that a single sentence still uses every core.
public func linearForward(
    x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, rows: Int, inFeatures: Int, outFeatures: Int
) {
    let byRows = rows >= 16 * ComputeThreads.count
    ComputeThreads.parallelFor(byRows ? rows : outFeatures / 16) { part in
        let r = byRows ? part : 0..<rows
        let c = byRows ? 0..<outFeatures : (part.lowerBound * 16)..<(part.upperBound == outFeatures / 16 ? outFeatures : part.upperBound * 16)
        if let bias {
            // Start Y at the bias so the product accumulates onto it: one pass over Y instead of two.
            for row in r { (y + row * outFeatures + c.lowerBound).update(from: bias + c.lowerBound, count: c.count) }
        }
        gemm(transposeB: true, m: r.count, n: c.count, k: inFeatures,
             a: x + r.lowerBound * inFeatures, lda: inFeatures, b: weight + c.lowerBound * inFeatures, ldb: inFeatures,
             beta: bias == nil ? 0 : 1, c: y + r.lowerBound * outFeatures + c.lowerBound, ldc: outFeatures)
    }
}
