/// A bump allocator for activations. It grows to the largest request seen and is then reused, so a
/// steady stream of batches allocates nothing after the first. Not thread-safe: hand each one to a
/// single running call at a time (`WorkspacePool` does, for models shared across threads).
public final class Workspace {
    private var storage: TensorStorage
    private var used = 0
    /// The most elements any single pass needed; the next `reset` grows the buffer to it.
    private var demand = 0

    public init(capacity: Int = 0) { storage = TensorStorage(zeroedCount: capacity) }

    public var capacity: Int { storage.count }

    /// Frees everything handed out since the last reset; grows the buffer if the last pass overflowed.
    public func reset() {
        used = 0
        if demand > storage.count { grow(to: demand) }
        demand = 0
    }

    /// Makes room for `elements` before a pass whose needs are known, so it never overflows.
    /// Call right after `reset`.
    public func reserve(_ elements: Int) {
        precondition(used == 0, "reserve a workspace before handing out tensors")
        if elements > storage.count { grow(to: elements) }
    }

    private func grow(to elements: Int) {
        storage = TensorStorage(zeroedCount: 0)  // release the old arena before taking the new one
        storage = TensorStorage(zeroedCount: elements + elements / 8)
    }

    /// The elements `shapes` take in a workspace, alignment included.
    public static func elements(for shapes: [[Int]]) -> Int {
        shapes.reduce(0) { $0 + ($1.reduce(1, *) + 15) & ~15 }
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
