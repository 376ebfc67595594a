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
