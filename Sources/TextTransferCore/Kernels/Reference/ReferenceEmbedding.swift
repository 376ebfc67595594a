import RealModule

/// Plain twin of `embeddingLookup` (without accumulation).
package func referenceEmbeddingLookup<T: Real>(table: [T], ids: [Int], width: Int) -> [T] {
    ids.flatMap { table[($0 * width)..<(($0 + 1) * width)] }
}

/// Plain twin of `embeddingBackward`.
package func referenceEmbeddingBackward<T: Real>(dOut: [T], ids: [Int], rows: Int, width: Int) -> [T] {
    var d = [T](repeating: 0, count: rows * width)
    for (t, id) in ids.enumerated() { for i in 0..<width { d[id * width + i] += dOut[t * width + i] } }
    return d
}
