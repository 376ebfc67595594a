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

    /// Writes `tensors` as F32 (sorted by name, contiguous in that order), then `storedTensors` in their own
    /// types after them (so the F32 data stays 4-byte aligned), with optional string metadata.
    public static func write(_ tensors: [String: Tensor], storedTensors: [String: StoredTensor] = [:],
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
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            let t = tensors[name]!
            data.append(UnsafeBufferPointer(start: t.pointer, count: t.count))
        }
        for name in storedNames { data.append(contentsOf: storedTensors[name]!.bytes) }
        try writeAtomically(data, to: path)
    }
}
