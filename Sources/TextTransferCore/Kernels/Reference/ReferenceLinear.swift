import RealModule

// Plain-loop twins of the linear kernels, forward above backward (backward twins return fresh gradients;
// the fast kernels accumulate).

/// Plain-loop twin of `linearForward`/`gemm`: Y = X · Wᵀ + b with X (rows, inF), W (outF, inF).
package func referenceLinear<T: Real>(x: [T], weight: [T], bias: [T]?, rows: Int, inFeatures: Int, outFeatures: Int) -> [T] {
    var y = [T](repeating: 0, count: rows * outFeatures)
    for r in 0..<rows {
        for o in 0..<outFeatures {
            var s: T = bias?[o] ?? 0
            for i in 0..<inFeatures { s += x[r * inFeatures + i] * weight[o * inFeatures + i] }
            y[r * outFeatures + o] = s
        }
    }
    return y
}

/// Plain-loop twin of `gemm` without transposes: C (m, n) = A (m, k) · B (k, n).
package func referenceMatmul<T: Real>(_ a: [T], _ b: [T], m: Int, n: Int, k: Int) -> [T] {
    var c = [T](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s: T = 0
            for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = s
        }
    }
    return c
}

/// Twin of `linearBackward`: (dX, dW, db) for Y = X · Wᵀ + b.
package func referenceLinearBackward<T: Real>(x: [T], weight: [T], dy: [T], rows: Int, inFeatures: Int, outFeatures: Int)
    -> (dx: [T], dWeight: [T], dBias: [T]) {
    var dx = [T](repeating: 0, count: rows * inFeatures)
    var dw = [T](repeating: 0, count: outFeatures * inFeatures)
    var db = [T](repeating: 0, count: outFeatures)
    for r in 0..<rows {
        for o in 0..<outFeatures {
            let g = dy[r * outFeatures + o]
            db[o] += g
            for i in 0..<inFeatures {
                dx[r * inFeatures + i] += g * weight[o * inFeatures + i]
                dw[o * inFeatures + i] += g * x[r * inFeatures + i]
            }
        }
    }
    return (dx, dw, db)
}
