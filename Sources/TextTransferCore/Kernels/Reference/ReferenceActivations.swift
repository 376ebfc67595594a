import RealModule

/// Plain twin of `geluForward`: x · ½ · (1 + erf(x / √2)).
package func referenceGELU<T: Real>(_ x: [T]) -> [T] {
    x.map { $0 * (1 + T.erf($0 / T.sqrt(2))) / 2 }
}

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
