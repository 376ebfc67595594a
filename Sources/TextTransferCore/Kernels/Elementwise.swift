import _TextTransferVectorKernels

// Element-wise kernels: residual adds, dropout masks, row normalization.

/// y += x over `count` elements.
package func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
    tt_add_f32(y, x, count)
}

/// Fills `mask` with inverted-dropout scales: 0 with probability p, else 1/(1−p), drawn in order from
/// `generator` (so the same seed gives the same mask whatever the thread count).
package func dropoutMask(_ mask: UnsafeMutablePointer<Float>, count: Int, probability p: Float, generator: inout RandomGenerator) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    let keep = 1 / (1 - p)
    for i in 0..<count { mask[i] = generator.nextUnitFloat() < p ? 0 : keep }
}

/// y = x · mask elementwise (forward), or dx += dy · mask (backward, with `accumulate`).
package func applyMask(_ x: UnsafePointer<Float>, _ mask: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool = false) {
    if accumulate {
        for i in 0..<count { y[i] += x[i] * mask[i] }
    } else {
        for i in 0..<count { y[i] = x[i] * mask[i] }
    }
}

/// Scales each row of x (rows, width) to unit L2 norm: x / max(‖x‖, eps), as `torch.nn.functional.normalize`.
package func l2NormalizeRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float = 1e-12) {
    for r in 0..<rows {
        let row = x + r * width
        var squares: Float = 0
        for i in 0..<width { squares += row[i] * row[i] }
        let scale = 1 / max(squares.squareRoot(), epsilon)
        for i in 0..<width { row[i] *= scale }
    }
}
