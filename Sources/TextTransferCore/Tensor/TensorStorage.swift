/// Float memory that tensors view: either allocated here, or borrowed from memory another object owns
/// (a memory-mapped safetensors file), which `owner` keeps alive for as long as any view exists.
public final class TensorStorage {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let owner: AnyObject?
    private let ownsMemory: Bool

    /// Allocates `count` zeroed floats, 64-byte aligned for vector loads.
    public init(zeroedCount count: Int) {
        precondition(count >= 0, "negative tensor size \(count)")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
        pointer = raw.assumingMemoryBound(to: Float.self)
        self.count = count
        owner = nil
        ownsMemory = true
    }

    /// Views `count` floats at `pointer`, owned by `owner`. The memory must stay valid and unchanged
    /// while `owner` lives.
    public init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int, owner: AnyObject) {
        self.pointer = pointer
        self.count = count
        self.owner = owner
        ownsMemory = false
    }

    deinit {
        if ownsMemory { UnsafeMutableRawPointer(pointer).deallocate() }
    }
}
