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

/// Row counts up to this use `tt_linear_few_rows_f32`, which reads the weights in place; above it,
/// OpenBLAS's packing pays for itself. Measured on the single-sentence (17-token) benchmark.
package let fewRowsLimit = 24

/// Y = X · Wᵀ + b, the PyTorch `nn.Linear` convention: X (rows, inFeatures), W (outFeatures, inFeatures),
/// b (outFeatures) or nil, Y (rows, outFeatures). Many rows are split across `ComputeThreads` and run
/// through OpenBLAS; few rows are split by output columns and run through a kernel that needs no packing.
package func linearForward(
    x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, rows: Int, inFeatures: Int, outFeatures: Int
) {
    if rows <= fewRowsLimit {
        ComputeThreads.parallelFor((outFeatures + 15) / 16) { blocks in
            tt_linear_few_rows_f32(x, weight, bias, y, rows, inFeatures, blocks.lowerBound * 16,
                                   min(outFeatures, blocks.upperBound * 16), outFeatures)
        }
        return
    }
    ComputeThreads.parallelFor(rows) { r in
        if let bias {
            // Start Y at the bias so the product accumulates onto it: one pass over Y instead of two.
            for row in r { (y + row * outFeatures).update(from: bias, count: outFeatures) }
        }
        gemm(transposeB: true, m: r.count, n: outFeatures, k: inFeatures,
             a: x + r.lowerBound * inFeatures, lda: inFeatures, b: weight, ldb: inFeatures,
             beta: bias == nil ? 0 : 1, c: y + r.lowerBound * outFeatures, ldc: outFeatures)
    }
}
