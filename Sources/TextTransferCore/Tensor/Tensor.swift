/// A row-major Float32 tensor: a shape and a view into `TensorStorage`.
///
/// Tensors are shared by reference to their storage and writable through it, so they are not `Sendable`.
/// A model shared across threads holds its weight tensors as `nonisolated(unsafe)` lets that nothing
/// writes after loading (SentenceEncoder, TextClassifier), and says so where it does.
public struct Tensor {
    public let shape: [Int]
    public let storage: TensorStorage
    /// Offset of the first element in `storage`, in elements.
    public let offset: Int

    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    public init(storage: TensorStorage, offset: Int = 0, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(offset >= 0 && offset + shape.reduce(1, *) <= storage.count,
                     "view of shape \(shape) at offset \(offset) exceeds storage of \(storage.count) elements")
        self.storage = storage
        self.offset = offset
        self.shape = shape
    }

    public init(zeros shape: [Int]) {
        self.init(storage: TensorStorage(zeroedCount: shape.reduce(1, *)), shape: shape)
    }

    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        self.init(zeros: shape)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage: storage, offset: offset, shape: newShape)
    }

    /// Row `index` along the first dimension.
    public subscript(row index: Int) -> Tensor {
        precondition(rank >= 1 && index >= 0 && index < shape[0], "row \(index) out of range for shape \(shape)")
        let rowShape = Array(shape.dropFirst())
        return Tensor(storage: storage, offset: offset + index * rowShape.reduce(1, *), shape: rowShape)
    }

    /// Sets every element to 0.
    public func zero() { pointer.update(repeating: 0, count: count) }

    public var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
