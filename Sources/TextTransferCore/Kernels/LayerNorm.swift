import _TextTransferVectorKernels

/// Layer normalization over the last dimension: y = (x − mean) / √(var + eps) · gamma + beta, the variance
/// biased (÷ width) as in PyTorch. x and y are (rows, width) and may be the same buffer. When `mean` and
/// `reciprocalStd` are given, they receive each row's statistics (what backward needs).
package func layerNormForward(
    x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    y: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float,
    mean: UnsafeMutablePointer<Float>? = nil, reciprocalStd: UnsafeMutablePointer<Float>? = nil
) {
    ComputeThreads.parallelFor(rows >= 64 ? rows : min(rows, 1)) { r in
        let range = rows >= 64 ? r : 0..<rows
        tt_layer_norm_rows_f32(x + range.lowerBound * width, gamma, beta, y + range.lowerBound * width, range.count, width,
                               epsilon, mean.map { $0 + range.lowerBound }, reciprocalStd.map { $0 + range.lowerBound })
    }
}

/// y += x over `count` elements.
package func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
    tt_add_f32(y, x, count)
}
