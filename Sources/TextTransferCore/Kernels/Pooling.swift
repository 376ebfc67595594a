/// Mean over the tokens whose mask is 1: hidden (B, T, C), mask (B, T) of 0/1, out (B, C).
/// The count is clamped at 1e-9 as sentence-transformers does, so an all-masked row pools to 0.
package func maskedMeanPooling(
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
package func l2NormalizeRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float = 1e-12) {
    for r in 0..<rows {
        let row = x + r * width
        var squares: Float = 0
        for i in 0..<width { squares += row[i] * row[i] }
        let scale = 1 / max(squares.squareRoot(), epsilon)
        for i in 0..<width { row[i] *= scale }
    }
}

/// Backward of `maskedMeanPooling`: dHidden[b, t] += dOut[b] / n_b for the n_b real tokens.
package func maskedMeanPoolingBackward(
    dOut: UnsafePointer<Float>, mask: UnsafePointer<Int32>, dHidden: UnsafeMutablePointer<Float>,
    batch: Int, tokens: Int, width: Int
) {
    for b in 0..<batch {
        var n = 0
        for t in 0..<tokens where mask[b * tokens + t] != 0 { n += 1 }
        let scale = 1 / max(Float(n), 1e-9)
        for t in 0..<tokens where mask[b * tokens + t] != 0 {
            let d = dHidden + (b * tokens + t) * width
            for i in 0..<width { d[i] += dOut[b * width + i] * scale }
        }
    }
}

/// Maximum over each sequence's first `lengths[b]` tokens: hidden (B, T, C) → out (B, C); `argmax`
/// (B, C) receives the winning token of each feature (the first, on ties) for backward.
package func maxPoolingForward(
    hidden: UnsafePointer<Float>, lengths: UnsafePointer<Int32>, out: UnsafeMutablePointer<Float>,
    argmax: UnsafeMutablePointer<Int32>, batch: Int, tokens: Int, width: Int
) {
    for b in 0..<batch {
        precondition(lengths[b] >= 1, "max pooling needs at least one token per sequence")
        for i in 0..<width {
            var best = hidden[b * tokens * width + i], at: Int32 = 0
            for t in 1..<Int(lengths[b]) {
                let v = hidden[(b * tokens + t) * width + i]
                if v > best { best = v; at = Int32(t) }
            }
            out[b * width + i] = best
            argmax[b * width + i] = at
        }
    }
}

/// Backward of `maxPoolingForward`: the gradient goes to each feature's winning token.
package func maxPoolingBackward(
    dOut: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, dHidden: UnsafeMutablePointer<Float>,
    batch: Int, tokens: Int, width: Int
) {
    for b in 0..<batch {
        for i in 0..<width { dHidden[(b * tokens + Int(argmax[b * width + i])) * width + i] += dOut[b * width + i] }
    }
}

/// Backward of `embeddingLookup`: dTable[ids[t]] += dOut[t] (rows repeat when ids do).
package func embeddingBackward(
    dOut: UnsafePointer<Float>, ids: UnsafePointer<Int32>, count: Int, width: Int, dTable: UnsafeMutablePointer<Float>
) {
    for t in 0..<count { addInPlace(dTable + Int(ids[t]) * width, dOut + t * width, count: width) }
}
