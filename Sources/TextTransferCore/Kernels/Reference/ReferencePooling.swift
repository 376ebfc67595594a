import RealModule

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
