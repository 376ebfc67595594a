import TextTransferCore
import TextTransferTokenization

/// Batches of similar length: shuffle, sort windows of 50 batches by length, cut them into batches and
/// shuffle the batches, so padding stays small while the order stays random.
package func lengthBucketedBatches(_ encodings: [Encoding], batchSize: Int, generator: inout RandomGenerator) -> [[Int]] {
    var order = Array(encodings.indices)
    order.shuffle(using: &generator)
    var batches: [[Int]] = []
    let window = batchSize * 50
    for start in stride(from: 0, to: order.count, by: window) {
        let sorted = order[start..<min(start + window, order.count)].sorted { encodings[$0].length > encodings[$1].length }
        for b in stride(from: 0, to: sorted.count, by: batchSize) { batches.append(Array(sorted[b..<min(b + batchSize, sorted.count)])) }
    }
    batches.shuffle(using: &generator)
    return batches
}
