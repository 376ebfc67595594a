import RealModule

/// Plain twin of `embeddingLookup` (without accumulation).
public func referenceEmbeddingLookup<T: Real>(table: [T], ids: [Int], width: Int) -> [T] {
    ids.flatMap { table[($0 * width)..<(($0 + 1) * width)] }
}

/// Plain twin of `maskedMeanPooling`.
public func referenceMaskedMeanPooling<T: Real>(hidden: [T], mask: [Int], batch: Int, tokens: Int, width: Int) -> [T] {
    var out = [T](repeating: 0, count: batch * width)
    for b in 0..<batch {
        let n = (0..<tokens).filter { mask[b * tokens + $0] != 0 }.count
        for t in 0..<tokens where mask[b * tokens + t] != 0 {
            for i in 0..<width { out[b * width + i] += hidden[(b * tokens + t) * width + i] }
        }
        for i in 0..<width { out[b * width + i] /= T(Swift.max(n, 1)) }
    }
    return out
}

/// Plain twin of `l2NormalizeRows`.
public func referenceL2Normalize<T: Real>(_ x: [T], rows: Int, width: Int) -> [T] {
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
