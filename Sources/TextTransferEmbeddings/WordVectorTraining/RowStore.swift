import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A rows × dimension float matrix at a fixed address, so that threads can train it in place. Its memory
/// is an anonymous mapping: it reads as zeros and takes no RAM until written, so a thread's store of the
/// rows it wrote costs only those rows' pages (not 2.4 GB for a 300-d model's 2M buckets), and the pages
/// can be handed back between rounds.
final class RowStore: @unchecked Sendable {
    let rows: Int, dimension: Int
    let values: UnsafeMutablePointer<Float>
    private let bytes: Int
    var count: Int { rows * dimension }

    init(rows: Int, dimension: Int) throws {
        (self.rows, self.dimension) = (rows, dimension)
        bytes = max(rows * dimension, 1) * MemoryLayout<Float>.stride
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw WordVectorTrainingError(message: String(format: "cannot allocate %.2f GB for %d rows of %d-d vectors: %@", Double(bytes) / 1e9, rows, dimension,
                                                          String(cString: strerror(errno))))
        }
        values = mapped.bindMemory(to: Float.self, capacity: max(rows * dimension, 1))
    }

    /// Gives every page back to the system: the store reads as zeros again.
    func releasePages() { madvise(values, bytes, MADV_DONTNEED) }

    /// The values as an array, the store's pages handed back as they are copied, so that the two are
    /// never both whole in memory; the store reads as zeros afterwards.
    func takeValues() -> [Float] {
        let chunk = 1 << 24  // floats: 64 MiB, a whole number of pages
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for start in stride(from: 0, to: count, by: chunk) {
                let n = min(chunk, count - start)
                (buffer.baseAddress! + start).initialize(from: values + start, count: n)
                madvise(values + start, n * MemoryLayout<Float>.stride, MADV_DONTNEED)
            }
            initialized = count
        }
    }

    deinit { munmap(values, bytes) }
}
