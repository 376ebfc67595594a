import Foundation
import TextTransferCore

/// A float buffer that grows by appending rows and becomes a Tensor without a copy, so that a loaded table
/// exists once in memory (an Array would be copied into the Tensor, doubling the peak).
final class GrowableFloats {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var count = 0
    private var capacity: Int

    /// The first reservation is capped (64 MiB); beyond it the buffer grows with the rows actually read,
    /// so a header that declares more rows than the file holds reserves nothing it does not fill.
    init(rows: Int, columns: Int) {
        let (product, overflow) = max(rows, 0).multipliedReportingOverflow(by: max(columns, 0))
        self.capacity = min(max(overflow ? Int.max : product, 1024), 1 << 24)
        pointer = malloc(self.capacity * MemoryLayout<Float>.stride)!.assumingMemoryBound(to: Float.self)
    }

    deinit { free(pointer) }

    func append(_ values: UnsafeBufferPointer<Float>) {
        if count + values.count > capacity {
            capacity = max(count + values.count, capacity + capacity / 2)
            pointer = realloc(pointer, capacity * MemoryLayout<Float>.stride)!.assumingMemoryBound(to: Float.self)
        }
        (pointer + count).update(from: values.baseAddress!, count: values.count)
        count += values.count
    }

    func append(_ values: [Float]) { values.withUnsafeBufferPointer { append($0) } }

    /// The values as a (rows, count / rows) tensor that keeps this buffer alive.
    func tensor(columns: Int) -> Tensor {
        if count > 0 && count < capacity {  // give back what the growth over-allocated
            pointer = realloc(pointer, count * MemoryLayout<Float>.stride)!.assumingMemoryBound(to: Float.self)
            capacity = count
        }
        let rows = columns == 0 ? 0 : count / columns
        return Tensor(storage: TensorStorage(borrowing: pointer, count: count, owner: self), shape: [rows, columns])
    }
}
