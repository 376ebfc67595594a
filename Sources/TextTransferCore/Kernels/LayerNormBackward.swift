import _TextTransferVectorKernels

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

/// Backward of `geluForward`: dx += dy · GELU'(x), x the forward input.
package func geluBackward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
    ComputeThreads.parallelFor((count + 16383) / 16384) { blocks in
        let start = blocks.lowerBound * 16384
        tt_gelu_backward_f32(x + start, dy + start, dx + start, min(count, blocks.upperBound * 16384) - start)
    }
}
