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
