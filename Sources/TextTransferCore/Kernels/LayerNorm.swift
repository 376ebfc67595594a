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

/// Backward of `layerNormForward`, accumulating into dx, dgamma and dbeta. x (rows, width) is the
/// forward input; `mean` and `reciprocalStd` are the statistics the forward pass saved.
package func layerNormBackward(
    x: UnsafePointer<Float>, dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, reciprocalStd: UnsafePointer<Float>,
    dx: UnsafeMutablePointer<Float>, dGamma: UnsafeMutablePointer<Float>, dBeta: UnsafeMutablePointer<Float>,
    rows: Int, width: Int
) {
    ComputeThreads.parallelFor(rows) { r in
        tt_layer_norm_backward_rows_f32(x + r.lowerBound * width, dy + r.lowerBound * width, gamma, mean + r.lowerBound,
                                        reciprocalStd + r.lowerBound, dx + r.lowerBound * width, r.count, width)
    }
    ComputeThreads.parallelFor(width / 16 + (width % 16 == 0 ? 0 : 1)) { blocks in
        tt_layer_norm_param_grads_f32(x, dy, mean, reciprocalStd, dGamma, dBeta, rows, width,
                                      blocks.lowerBound * 16, min(width, blocks.upperBound * 16))
    }
}
