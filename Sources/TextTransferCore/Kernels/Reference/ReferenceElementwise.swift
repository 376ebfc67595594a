import RealModule

// Plain twins of the element-wise operations: row normalization, and tanh (the BERT pooler's).

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

/// Twin of the BERT pooler and of tanh: y = tanh(x); dx = dy · (1 − y²).
package func referenceTanh<T: Real>(_ x: [T]) -> [T] { x.map { T.tanh($0) } }

package func referenceTanhBackward<T: Real>(x: [T], dy: [T]) -> [T] { zip(x, dy).map { v, g in g * (1 - T.tanh(v) * T.tanh(v)) } }
