import RealModule

/// Plain twin of `geluForward`: x · ½ · (1 + erf(x / √2)).
package func referenceGELU<T: Real>(_ x: [T]) -> [T] {
    x.map { $0 * (1 + T.erf($0 / T.sqrt(2))) / 2 }
}

/// Twin of `geluBackward`.
package func referenceGELUBackward<T: Real>(x: [T], dy: [T]) -> [T] {
    zip(x, dy).map { v, g in
        let cdf = (1 + T.erf(v / T.sqrt(2))) / 2
        let pdf = T.exp(-v * v / 2) / T.sqrt(2 * T.pi)
        return g * (cdf + v * pdf)
    }
}
