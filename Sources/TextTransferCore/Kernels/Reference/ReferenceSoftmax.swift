import RealModule

/// Plain twin of `maskedSoftmaxRows`.
package func referenceMaskedSoftmax<T: Real>(_ scores: [T], rows: Int, columns: Int, validColumns: Int) -> [T] {
    var out = [T](repeating: 0, count: scores.count)
    for r in 0..<rows {
        let valid = scores[(r * columns)..<(r * columns + validColumns)]
        let top = valid.max()!
        let sum = valid.reduce(0) { $0 + T.exp($1 - top) }
        for j in 0..<validColumns { out[r * columns + j] = T.exp(scores[r * columns + j] - top) / sum }
    }
    return out
}
