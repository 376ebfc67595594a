import Foundation
import TextTransferCore

/// Reads a `.safetensors` file: an 8-byte little-endian header length N, N bytes of JSON describing each
/// tensor (`dtype`, `shape`, `data_offsets` relative to the data section), then the data.
///
/// The file is memory-mapped. Aligned F32 tensors are views into the mapping (no copy); F16 and BF16 are
/// converted to F32 on request. The header is validated when the file opens, so a corrupt file fails
/// at once with the file and tensor named.
public final class SafetensorsReader: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public let dtype: SafetensorsDType
        public let shape: [Int]
        /// Byte range inside the data section.
        public let range: Range<Int>
    }

    /// The largest header accepted, as the reference implementation does: guards against absurd lengths.
    public static let maximumHeaderBytes = 100_000_000

    public let path: String
    public let entries: [String: Entry]
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    public var names: [String] { entries.keys.sorted() }

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        func fail(_ message: String, key: String? = nil) -> ModelFileError {
            ModelFileError(file: path, key: key, message: message)
        }
        guard bytes.count >= 8 else { throw fail("file of \(bytes.count) bytes is too short for a safetensors header") }
        let headerLength = Int(clamping: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        guard headerLength <= Self.maximumHeaderBytes else {
            throw fail("header length \(headerLength) exceeds the limit of \(Self.maximumHeaderBytes) bytes")
        }
        guard 8 + headerLength <= bytes.count else {
            throw fail("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        dataStart = 8 + headerLength
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }

        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let dataBytes = bytes.count - dataStart
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object", key: name) }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("metadata value is not a string", key: k) }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else { throw fail("tensor entry is not an object", key: name) }
            guard let dtypeName = info["dtype"] as? String else { throw fail("missing dtype", key: name) }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw fail("unknown dtype \(dtypeName)", key: name) }
            guard let shapeValues = info["shape"] as? [Any], let shape = Self.integers(shapeValues), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("shape is not a list of non-negative integers", key: name)
            }
            guard let offsetValues = info["data_offsets"] as? [Any], let offsets = Self.integers(offsetValues), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("data_offsets is not [begin, end] with 0 <= begin <= end", key: name)
            }
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            guard !overflow, elements <= Int.max / dtype.byteSize else { throw fail("shape \(shape) is too large", key: name) }
            guard elements * dtype.byteSize == offsets[1] - offsets[0] else {
                throw fail("shape \(shape) of \(dtypeName) needs \(elements * dtype.byteSize) bytes but data_offsets give \(offsets[1] - offsets[0])", key: name)
            }
            guard offsets[1] <= dataBytes else {
                throw fail("data_offsets \(offsets) run past the data section of \(dataBytes) bytes", key: name)
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        let ordered = entries.sorted { $0.value.range.lowerBound < $1.value.range.lowerBound }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.value.range.lowerBound < previous.value.range.upperBound {
            throw fail("data range \(next.value.range) overlaps tensor '\(previous.key)' at \(previous.value.range)", key: next.key)
        }
        self.entries = entries
        self.metadata = metadata
    }

    private static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            // JSON true/false also bridge to NSNumber; only integer type codes are accepted.
            guard let n = v as? NSNumber, ["i", "q", "l", "s"].contains(String(cString: n.objCType)) else { return nil }
            out.append(n.intValue)
        }
        return out
    }

    /// The raw bytes of a U8 tensor, valid while the reader lives.
    public func bytes(_ name: String) throws -> UnsafeRawBufferPointer {
        guard let entry = entries[name] else { throw ModelFileError(file: path, key: name, message: "no such tensor") }
        guard entry.dtype == .u8 else { throw ModelFileError(file: path, key: name, message: "dtype \(entry.dtype.rawValue), expected U8") }
        return storedBytes(name)!
    }

    /// The bytes of tensor `name` as stored, whatever its dtype (nil if there is none), valid while the reader lives.
    public func storedBytes(_ name: String) -> UnsafeRawBufferPointer? {
        guard let entry = entries[name] else { return nil }
        return UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)])
    }

    /// The tensor `name` as Float32. F32 data aligned to 4 bytes is returned without copying.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw ModelFileError(file: path, key: name, message: "no such tensor")
        }
        let start = file.bytes.baseAddress! + dataStart + entry.range.lowerBound
        let count = entry.shape.reduce(1, *)
        switch entry.dtype {
        case .f32 where Int(bitPattern: start) % 4 == 0:
            let pointer = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: Float.self))
            return Tensor(storage: TensorStorage(borrowing: pointer, count: count, owner: file), shape: entry.shape)
        case .f32, .f16, .bf16:
            let out = Tensor(zeros: entry.shape)
            let raw = UnsafeRawPointer(start)
            for i in 0..<count {
                switch entry.dtype {
                case .f32: out.pointer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .f16: out.pointer[i] = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                default: out.pointer[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            }
            return out
        case .i8:
            return try dequantized(name, entry, start)
        default:
            throw ModelFileError(file: path, key: name, message: "dtype \(entry.dtype.rawValue) cannot be read as floating point")
        }
    }
}

extension SafetensorsReader {
    /// An I8 matrix quantized per row, as `text-transfer quantize` writes it: value[r, c] = q[r, c] ·
    /// `<name>_scale`[r], the scales an F32 tensor of one value per row.
    private func dequantized(_ name: String, _ entry: Entry, _ start: UnsafeRawPointer) throws -> Tensor {
        let scaleName = name + "_scale"
        guard entry.shape.count == 2, let scaleEntry = entries[scaleName], scaleEntry.dtype == .f32,
              scaleEntry.shape.reduce(1, *) == entry.shape[0] else {
            throw ModelFileError(file: path, key: name, message: "an I8 tensor must be a matrix with an F32 \(scaleName) of one scale per row")
        }
        let scales = try tensor(scaleName)
        let (rows, columns) = (entry.shape[0], entry.shape[1])
        let out = Tensor(zeros: entry.shape)
        let q = start.assumingMemoryBound(to: Int8.self)
        for r in 0..<rows {
            let scale = scales.pointer[r]
            for c in 0..<columns { out.pointer[r * columns + c] = Float(q[r * columns + c]) * scale }
        }
        return out
    }
}

extension SafetensorsReader {
    /// Throws, naming the first tensor that holds a NaN or an infinity: weights that would make every
    /// prediction NaN are refused when loaded instead of passing silently.
    public func requireFinite() throws {
        for name in names where [.f32, .f16, .bf16, .f64].contains(entries[name]!.dtype) {
            let t = try tensor(name)
            let bad = UnsafeBufferPointer(start: t.pointer, count: t.count).reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            if bad > 0 { throw ModelFileError(file: path, key: name, message: "\(bad) of its \(t.count) values are not finite") }
        }
    }
}

/// The element types the safetensors format defines.
public enum SafetensorsDType: String, Sendable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32", i64 = "I64", u64 = "U64", f64 = "F64"

    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .i64, .u64, .f64: return 8
        }
    }
}
