/// Gathers rows of `table` (V, C) by `ids` into `out` (count, C), adding to it when `accumulate` is true
/// (BERT sums word, position and token-type embeddings). Ids must be in 0..<rowsInTable.
package func embeddingLookup(
    table: UnsafePointer<Float>, rowsInTable: Int, ids: UnsafePointer<Int32>, count: Int,
    width: Int, out: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    for t in 0..<count {
        let id = Int(ids[t])
        precondition(id >= 0 && id < rowsInTable, "embedding id \(id) outside table of \(rowsInTable) rows")
        let src = table + id * width, dst = out + t * width
        if accumulate {
            for i in 0..<width { dst[i] += src[i] }
        } else {
            dst.update(from: src, count: width)
        }
    }
}

/// Backward of `embeddingLookup`: dTable[ids[t]] += dOut[t] (rows repeat when ids do).
package func embeddingBackward(
    dOut: UnsafePointer<Float>, ids: UnsafePointer<Int32>, count: Int, width: Int, dTable: UnsafeMutablePointer<Float>
) {
    for t in 0..<count { addInPlace(dTable + Int(ids[t]) * width, dOut + t * width, count: width) }
}
