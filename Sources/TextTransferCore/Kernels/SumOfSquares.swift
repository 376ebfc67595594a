import _TextTransferVectorKernels

/// Σ x[i]² in Double over `count` floats, split across `ComputeThreads` (each worker's part in eight
/// interleaved partial sums, the parts added in worker order, so a thread count always gives the same
/// bits). What the gradient norm is made of: a single running sum would take a latency-bound addition
/// per element.
package func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    let workers = count >= 1 << 16 ? ComputeThreads.count : 1
    var parts = [Double](repeating: 0, count: workers)
    parts.withUnsafeMutableBufferPointer { parts in
        if workers == 1 {
            parts[0] = tt_sum_squares_f32(x, count)
            return
        }
        ComputeThreads.parallelChunks(count) { worker, range in
            parts[worker] = tt_sum_squares_f32(x + range.lowerBound, range.count)
        }
    }
    return parts.reduce(0, +)
}
