import CTextTransferBLAS
import _TextTransferVectorKernels

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

/// Backward of `linearForward` (Y = X · Wᵀ + b), accumulating: dX += dY · W, dW += dYᵀ · X, db += Σ_rows dY.
/// X (rows, in), W (out, in), dY (rows, out). `dx` nil skips the input gradient (the first layer).
/// dX is split by rows across `ComputeThreads`, dW and db by output features, so no two workers write
/// the same element.
package func linearBackward(
    x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
    dx: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    if let dx {
        ComputeThreads.parallelFor(rows) { r in
            gemm(m: r.count, n: inFeatures, k: outFeatures, a: dy + r.lowerBound * outFeatures, lda: outFeatures,
                 b: weight, ldb: inFeatures, beta: 1, c: dx + r.lowerBound * inFeatures, ldc: inFeatures)
        }
    }
    ComputeThreads.parallelFor(outFeatures) { o in
        // (o.count, rows) · (rows, in): dY's columns o, transposed, times X.
        gemm(transposeA: true, m: o.count, n: inFeatures, k: rows, a: dy + o.lowerBound, lda: outFeatures,
             b: x, ldb: inFeatures, beta: 1, c: dWeight + o.lowerBound * inFeatures, ldc: inFeatures)
        if let dBias {
            for r in 0..<rows {
                let row = dy + r * outFeatures
                for j in o { dBias[j] += row[j] }
            }
        }
    }
}
