/// A bump allocator for activations. It grows to the largest request seen and is then reused, so a
/// steady stream of batches allocates nothing after the first. Not thread-safe: hand each one to a
/// single running call at a time (hence `@unchecked Sendable`, so it can be pooled).
public final class Workspace: @unchecked Sendable {
    private var storage: TensorStorage
    private var used = 0
    /// The most elements any single pass needed; the next `reset` grows the buffer to it.
    private var demand = 0

    public init(capacity: Int = 0) { storage = TensorStorage(zeroedCount: capacity) }

    public var capacity: Int { storage.count }

    /// Frees everything handed out since the last reset; grows the buffer if the last pass overflowed.
    public func reset() {
        if demand > storage.count { storage = TensorStorage(zeroedCount: demand) }
        used = 0
        demand = 0
    }

    /// A tensor of `shape` whose contents are unspecified. Overflowing requests get their own memory
    /// this time and make the next `reset` grow the arena.
    public func tensor(_ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        let rounded = (n + 15) & ~15  // keep every tensor 64-byte aligned
        demand = max(demand, used + rounded)
        if used + rounded <= storage.count {
            defer { used += rounded }
            return Tensor(storage: storage, offset: used, shape: shape)
        }
        return Tensor(zeros: shape)
    }
}
