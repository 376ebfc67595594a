import TextTransferTokenization

/// Runs `body` on batches of at most `batchSize` encodings of similar length, longest first (so that each
/// batch pads little), and returns its results in input order: `body` gets the input indices of one batch
/// and returns one result per index, in the same order. The one loop behind every inference pass (dev
/// scoring, features, embeddings, predictions).
public func mapLengthSortedBatches<Row>(_ encodings: [Encoding], batchSize: Int,
                                        _ body: (_ members: [Int]) throws -> [Row]) rethrows -> [Row] {
    precondition(batchSize >= 1, "batch size must be at least 1")
    let order = encodings.indices.sorted { encodings[$0].length > encodings[$1].length }
    var out = [Row?](repeating: nil, count: encodings.count)
    for start in stride(from: 0, to: order.count, by: batchSize) {
        let members = Array(order[start..<min(start + batchSize, order.count)])
        let rows = try body(members)
        precondition(rows.count == members.count, "\(rows.count) results for a batch of \(members.count)")
        for (row, index) in members.enumerated() { out[index] = rows[row] }
    }
    return out.map { $0! }
}
