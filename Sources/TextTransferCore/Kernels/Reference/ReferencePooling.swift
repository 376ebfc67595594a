import RealModule

/// Plain twin of `embeddingLookup` (without accumulation).
package func referenceEmbeddingLookup<T: Real>(table: [T], ids: [Int], width: Int) -> [T] {
    ids.flatMap { table[($0 * width)..<(($0 + 1) * width)] }
}

/// Plain twin of `poolingForward` over each sequence's first `lengths[b]` tokens (the pooler's dense
/// layer and tanh are `referenceLinear` and `referenceTanh`, applied after its [CLS] state).
package func referencePooling<T: Real>(_ pooling: Pooling, hidden: [T], lengths: [Int], batch: Int, tokens: Int, width: Int) -> [T] {
    (0..<(batch * width)).map { index in
        let (b, i) = (index / width, index % width)
        let column = (0..<lengths[b]).map { hidden[(b * tokens + $0) * width + i] }
        switch pooling {
        case .mean: return column.reduce(0, +) / T(Swift.max(lengths[b], 1))
        case .cls, .pooler: return hidden[b * tokens * width + i]
        case .max: return column.max()!
        }
    }
}

/// Plain twin of `poolingBackward`; max pooling finds its winners again (the first, on ties).
package func referencePoolingBackward<T: Real>(_ pooling: Pooling, hidden: [T], dOut: [T], lengths: [Int], batch: Int, tokens: Int,
                                               width: Int) -> [T] {
    var d = [T](repeating: 0, count: batch * tokens * width)
    for b in 0..<batch {
        for i in 0..<width {
            let g = dOut[b * width + i]
            switch pooling {
            case .mean:
                for t in 0..<lengths[b] { d[(b * tokens + t) * width + i] += g / T(lengths[b]) }
            case .cls, .pooler:
                d[b * tokens * width + i] += g
            case .max:
                var at = 0
                for t in 1..<lengths[b] where hidden[(b * tokens + t) * width + i] > hidden[(b * tokens + at) * width + i] { at = t }
                d[(b * tokens + at) * width + i] += g
            }
        }
    }
    return d
}

/// Plain twin of `l2NormalizeRows`.
package func referenceL2Normalize<T: Real>(_ x: [T], rows: Int, width: Int) -> [T] {
    var out = x
    let epsilon = T(1) / T(1_000_000_000_000)
    for r in 0..<rows {
        var squares: T = 0
        for i in 0..<width { squares += x[r * width + i] * x[r * width + i] }
        let norm = T.sqrt(squares)
        for i in 0..<width { out[r * width + i] = x[r * width + i] / Swift.max(norm, epsilon) }
    }
    return out
}

/// Plain twin of `embeddingBackward`.
package func referenceEmbeddingBackward<T: Real>(dOut: [T], ids: [Int], rows: Int, width: Int) -> [T] {
    var d = [T](repeating: 0, count: rows * width)
    for (t, id) in ids.enumerated() { for i in 0..<width { d[id * width + i] += dOut[t * width + i] } }
    return d
}

/// Twin of the BERT pooler and of tanh: y = tanh(x); dx = dy · (1 − y²).
package func referenceTanh<T: Real>(_ x: [T]) -> [T] { x.map { T.tanh($0) } }
package func referenceTanhBackward<T: Real>(x: [T], dy: [T]) -> [T] { zip(x, dy).map { v, g in g * (1 - T.tanh(v) * T.tanh(v)) } }
