/// How a sequence of hidden states (B, T, C) becomes one vector per sequence (B, C).
public enum Pooling: String, Codable, Sendable, CaseIterable {
    /// The mean over the real tokens (sentence-transformers' default).
    case mean
    /// The first token's state ([CLS]).
    case cls
    /// The maximum of each feature over the real tokens ([CLS] and [SEP] included, as sentence-transformers).
    case max
    /// BERT's pooler: tanh(W · h[CLS] + b), transformers' BertForSequenceClassification. The kernels
    /// below take the [CLS] state; the encoder that owns the pooler weights applies them.
    case pooler
}

/// Pools hidden (B, T, C) over each sequence's first `lengths[b]` tokens into out (B, C). `argmax` (B, C)
/// receives max pooling's winning token per feature, for backward (unused by the others).
package func poolingForward(
    _ pooling: Pooling, hidden: UnsafePointer<Float>, lengths: UnsafePointer<Int32>, out: UnsafeMutablePointer<Float>,
    argmax: UnsafeMutablePointer<Int32>?, batch: Int, tokens: Int, width: Int
) {
    switch pooling {
    case .mean:
        // The count is clamped at 1e-9 as sentence-transformers does, so an empty sequence pools to 0.
        for b in 0..<batch {
            let o = out + b * width
            o.update(repeating: 0, count: width)
            for t in 0..<Int(lengths[b]) {
                let h = hidden + (b * tokens + t) * width
                for i in 0..<width { o[i] += h[i] }
            }
            let scale = 1 / Swift.max(Float(lengths[b]), 1e-9)
            for i in 0..<width { o[i] *= scale }
        }
    case .cls, .pooler:
        for b in 0..<batch { (out + b * width).update(from: hidden + b * tokens * width, count: width) }
    case .max:
        guard let argmax else { preconditionFailure("max pooling keeps its winners for backward") }
        maxPoolingForward(hidden: hidden, lengths: lengths, out: out, argmax: argmax, batch: batch, tokens: tokens, width: width)
    }
}

/// Backward of `poolingForward`: adds dL/d(pooled) (B, C) into dHidden (B, T, C) — spread evenly over the
/// real tokens for mean, to the first token for cls and pooler, to each feature's winner for max.
package func poolingBackward(
    _ pooling: Pooling, dOut: UnsafePointer<Float>, lengths: UnsafePointer<Int32>, argmax: UnsafePointer<Int32>?,
    dHidden: UnsafeMutablePointer<Float>, batch: Int, tokens: Int, width: Int
) {
    switch pooling {
    case .mean:
        for b in 0..<batch {
            let n = Float(lengths[b])
            for t in 0..<Int(lengths[b]) {
                let d = dHidden + (b * tokens + t) * width
                for i in 0..<width { d[i] += dOut[b * width + i] / n }
            }
        }
    case .cls, .pooler:
        for b in 0..<batch { addInPlace(dHidden + b * tokens * width, dOut + b * width, count: width) }
    case .max:
        guard let argmax else { preconditionFailure("max pooling's backward needs the winners of its forward") }
        maxPoolingBackward(dOut: dOut, argmax: argmax, dHidden: dHidden, batch: batch, tokens: tokens, width: width)
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
        // Token by token in memory order (each row is contiguous), sixteen features at a time.
        let best = out + b * width, at = argmax + b * width
        best.update(from: hidden + b * tokens * width, count: width)
        at.update(repeating: 0, count: width)
        for t in 1..<Int(lengths[b]) {
            let row = hidden + (b * tokens + t) * width
            let step = Int32(t)
            var i = 0
            while i + 16 <= width {
                let v = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<Float>.self)
                var kept = UnsafeRawPointer(best + i).loadUnaligned(as: SIMD16<Float>.self)
                var winners = UnsafeRawPointer(at + i).loadUnaligned(as: SIMD16<Int32>.self)
                let larger = v .> kept
                kept.replace(with: v, where: larger)
                winners.replace(with: step, where: larger)  // Float's mask is Int32-wide
                UnsafeMutableRawPointer(best + i).storeBytes(of: kept, as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(at + i).storeBytes(of: winners, as: SIMD16<Int32>.self)
                i += 16
            }
            for j in i..<width where row[j] > best[j] {
                best[j] = row[j]
                at[j] = step
            }
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
