/// GELU in BERT's exact form, y = x · ½ · (1 + erf(x / √2)); `x` and `y` may be the same buffer.
public func geluForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int) {
    let inverseSqrt2: Float = 0.70710678118654752
    ComputeThreads.parallelFor((count + 4095) / 4096) { blocks in
        let end = min(count, blocks.upperBound * 4096)
        for i in (blocks.lowerBound * 4096)..<end {
            let v = x[i]
            y[i] = 0.5 * v * (1 + fastErf(v * inverseSqrt2))
        }
    }
}
