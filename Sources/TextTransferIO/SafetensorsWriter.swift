import Foundation
import TextTransferCore

/// Writes tensors as a `.safetensors` file, atomically: the data goes to a temporary file beside
/// the target, which is renamed over it only when complete.
public enum SafetensorsWriter {
    /// A tensor stored in a type other than F32 (BF16, I8, U8 text): its dtype, shape and little-endian bytes.
    public struct StoredTensor {
        public let dtype: SafetensorsDType
        public let shape: [Int]
        public let bytes: [UInt8]

        public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
            precondition(bytes.count == shape.reduce(1, *) * dtype.byteSize, "\(bytes.count) bytes for \(dtype.rawValue) \(shape)")
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// An F32 tensor's shape and a way to its values' bytes, so that a large matrix is written from where it
    /// lies instead of being copied into a Tensor or a Data first.
    public struct FloatView {
        public let shape: [Int]
        let count: Int
        let bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void

        /// Values the caller keeps alive until the write returns (a word-vector model's matrices).
        public init(shape: [Int], values: UnsafeBufferPointer<Float>) {
            precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
            (self.shape, count) = (shape, values.count)
            bytes = { try $0(UnsafeRawBufferPointer(values)) }
        }

        /// An array's values (the view shares the array's storage: nothing is copied).
        public init(shape: [Int], array: [Float]) {
            precondition(array.count == shape.reduce(1, *), "\(array.count) values for shape \(shape)")
            (self.shape, count) = (shape, array.count)
            bytes = { try array.withUnsafeBytes($0) }
        }

        /// A tensor's values, the tensor kept alive by the view.
        public init(_ tensor: Tensor) {
            (shape, count) = (tensor.shape, tensor.count)
            bytes = { try $0(UnsafeRawBufferPointer(start: tensor.pointer, count: 4 * tensor.count)) }
        }
    }

    /// Writes `tensors` as F32 (sorted by name, contiguous in that order), then `storedTensors` in their own
    /// types after them (so the F32 data stays 4-byte aligned), with optional string metadata.
    public static func write(_ tensors: [String: Tensor], storedTensors: [String: StoredTensor] = [:],
                             metadata: [String: String] = [:], to path: String) throws {
        try write(views: tensors.mapValues(FloatView.init),
                  storedTensors: storedTensors, metadata: metadata, to: path)
    }

    /// `write` of F32 views: the file is streamed from the values where they lie, never built whole in memory.
    public static func write(views tensors: [String: FloatView], storedTensors: [String: StoredTensor] = [:],
                             metadata: [String: String] = [:], to path: String) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]] as [String: Any]
            offset += 4 * t.count
        }
        let storedNames = storedTensors.keys.sorted()
        for name in storedNames {
            let t = storedTensors[name]!
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]] as [String: Any]
            offset += t.bytes.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var head = Data(capacity: 8 + json.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { head.append(contentsOf: $0) }
        head.append(json)
        try writeAtomically(to: path) { write in
            try head.withUnsafeBytes(write)
            for name in names { try tensors[name]!.bytes(write) }
            for name in storedNames { try storedTensors[name]!.bytes.withUnsafeBytes(write) }
        }
    }
}
