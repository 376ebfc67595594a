/// Softmax of each row of `scores` (rows, columns) in place, over the first `validColumns` entries only;
/// the rest are set to 0. This is attention's key mask for right-padded batches: a padded key gets
/// exactly the zero weight that an additive −∞ mask gives.
public func maskedSoftmaxRows(
    _ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int, validColumns: Int
) {
    precondition(validColumns >= 1 && validColumns <= columns, "softmax needs 1...\(columns) valid columns, got \(validColumns)")
    for r in 0..<rows {
        let row = scores + r * columns
        var top = row[0]
        for j in 1..<validColumns { top = max(top, row[j]) }
        var sum: Float = 0
        for j in 0..<validColumns {
            let e = fastExp(row[j] - top)
            row[j] = e
            sum += e
        }
        let scale = 1 / sum
        for j in 0..<validColumns { row[j] *= scale }
        for j in validColumns..<columns { row[j] = 0 }
    }
}
