/// Mean over the tokens whose mask is 1: hidden (B, T, C), mask (B, T) of 0/1, out (B, C).
/// The count is clamped at 1e-9 as sentence-transformers does, so an all-masked row pools to 0.
public func maskedMeanPooling(
    hidden: UnsafePointer<Float>, mask: UnsafePointer<Int32>, out: UnsafeMutablePointer<Float>,
    batch: Int, tokens: Int, width: Int
) {
    for b in 0..<batch {
        let o = out + b * width
        o.update(repeating: 0, count: width)
        var n: Float = 0
        for t in 0..<tokens where mask[b * tokens + t] != 0 {
            let h = hidden + (b * tokens + t) * width
            for i in 0..<width { o[i] += h[i] }
            n += 1
        }
        let scale = 1 / max(n, 1e-9)
        for i in 0..<width { o[i] *= scale }
    }
}

/// Scales each row of x (rows, width) to unit L2 norm: x / max(‖x‖, eps), as `torch.nn.functional.normalize`.
public func l2NormalizeRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float = 1e-12) {
    for r in 0..<rows {
        let row = x + r * width
        var squares: Float = 0
        for i in 0..<width { squares += row[i] * row[i] }
        let scale = 1 / max(squares.squareRoot(), epsilon)
        for i in 0..<width { row[i] *= scale }
    }
}
