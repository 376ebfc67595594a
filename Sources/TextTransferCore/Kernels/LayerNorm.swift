/// Layer normalization over the last dimension: y = (x − mean) / √(var + eps) · gamma + beta, the variance
/// biased (÷ width) as in PyTorch. x and y are (rows, width) and may be the same buffer. When `mean` and
/// `reciprocalStd` are given, they receive each row's statistics (what backward needs).
public func layerNormForward(
    x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    y: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float,
    mean: UnsafeMutablePointer<Float>? = nil, reciprocalStd: UnsafeMutablePointer<Float>? = nil
) {
    ComputeThreads.parallelFor(rows) { range in
        for r in range {
            let xr = x + r * width, yr = y + r * width
            var sum: Float = 0
            for i in 0..<width { sum += xr[i] }
            let mu = sum / Float(width)
            var squares: Float = 0
            for i in 0..<width { let d = xr[i] - mu; squares += d * d }
            let rstd = 1 / (squares / Float(width) + epsilon).squareRoot()
            for i in 0..<width { yr[i] = (xr[i] - mu) * rstd * gamma[i] + beta[i] }
            mean?[r] = mu
            reciprocalStd?[r] = rstd
        }
    }
}
