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
