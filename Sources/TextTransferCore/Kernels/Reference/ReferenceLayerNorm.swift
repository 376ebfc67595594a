import RealModule

/// Plain-loop twin of `layerNormForward`.
package func referenceLayerNorm<T: Real>(x: [T], gamma: [T], beta: [T], rows: Int, width: Int, epsilon: T) -> [T] {
    var y = x
    for r in 0..<rows {
        let row = x[(r * width)..<((r + 1) * width)]
        let mean = row.reduce(0, +) / T(width)
        let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / T(width)
        let std = T.sqrt(variance + epsilon)
        for i in 0..<width { y[r * width + i] = (x[r * width + i] - mean) / std * gamma[i] + beta[i] }
    }
    return y
}

/// Twin of `layerNormBackward`.
package func referenceLayerNormBackward<T: Real>(x: [T], gamma: [T], dy: [T], rows: Int, width: Int, epsilon: T)
    -> (dx: [T], dGamma: [T], dBeta: [T]) {
    var dx = [T](repeating: 0, count: x.count)
    var dg = [T](repeating: 0, count: width), db = [T](repeating: 0, count: width)
    let n = T(width)
    for r in 0..<rows {
        var mean: T = 0
        for i in 0..<width { mean += x[r * width + i] }
        mean /= n
        var variance: T = 0
        for i in 0..<width { variance += (x[r * width + i] - mean) * (x[r * width + i] - mean) }
        let rstd = 1 / T.sqrt(variance / n + epsilon)
        var sumG: T = 0, sumGX: T = 0
        for i in 0..<width {
            let xhat = (x[r * width + i] - mean) * rstd
            let g = dy[r * width + i] * gamma[i]
            sumG += g
            sumGX += g * xhat
            dg[i] += dy[r * width + i] * xhat
            db[i] += dy[r * width + i]
        }
        for i in 0..<width {
            let xhat = (x[r * width + i] - mean) * rstd
            dx[r * width + i] = rstd * (dy[r * width + i] * gamma[i] - sumG / n - xhat * sumGX / n)
        }
    }
    return (dx, dg, db)
}
