import _TextTransferVectorKernels

/// GELU in BERT's exact form, y = x · ½ · (1 + erf(x / √2)), erf to within a few float ulps;
/// `x` and `y` may be the same buffer.
package func geluForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int) {
    ComputeThreads.parallelFor((count + 16383) / 16384) { blocks in
        let start = blocks.lowerBound * 16384
        tt_gelu_f32(x + start, y + start, min(count, blocks.upperBound * 16384) - start)
    }
}

/// Backward of `geluForward`: dx += dy · GELU'(x), x the forward input.
package func geluBackward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
    ComputeThreads.parallelFor((count + 16383) / 16384) { blocks in
        let start = blocks.lowerBound * 16384
        tt_gelu_backward_f32(x + start, dy + start, dx + start, min(count, blocks.upperBound * 16384) - start)
    }
}
