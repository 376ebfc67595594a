import _TextTransferVectorKernels

/// Softmax of each row of `scores` (rows, columns) in place, over the first `validColumns` entries only;
/// the rest are set to 0. This is attention's key mask for right-padded batches: a padded key gets
/// exactly the zero weight that an additive −∞ mask gives. exp is accurate to 2e-7 relative.
package func maskedSoftmaxRows(
    _ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int, validColumns: Int
) {
    precondition(validColumns >= 1 && validColumns <= columns, "softmax needs 1...\(columns) valid columns, got \(validColumns)")
    tt_masked_softmax_rows_f32(scores, rows, columns, validColumns)
}
