import Foundation
import TextTransferCore
import TextTransferIO

/// `text-transfer quantize`: a copy of a Transformer model directory (a sentence encoder or a classifier
/// saved by train) whose encoder blocks' Linear weights are stored in bf16 or int8 — the very values the
/// packed kernels compute with at that precision, so the copy predicts exactly as the original does with
/// `--precision`, from a smaller file that loads in that precision by default. Everything else (embeddings,
/// LayerNorms, biases, pooler, heads) stays F32, as it does at inference.
public enum ModelQuantization {
    public struct Summary: Sendable {
        public let reducedTensors: Int
        public let bytesBefore: Int
        public let bytesAfter: Int
    }

    /// Writes the copy of `directory` into `staging` (an `OutputDirectory`'s).
    public static func write(from directory: String, precision: Precision, to staging: String) throws -> Summary {
        guard precision != .fp32 else { throw ModelFileError(file: directory, message: "quantize writes bf16 or int8; fp32 is the original") }
        guard let (source, stored) = ModelWeightsFile.locate(in: directory) else { throw ModelWeightsFile.missing(in: directory) }
        guard stored == .fp32 else { throw ModelFileError(file: source, message: "is already \(stored.rawValue): quantize the fp32 original") }
        let reader = try SafetensorsReader(path: source)
        try reader.requireFinite()
        var kept: [String: Tensor] = [:]
        var reduced: [String: SafetensorsWriter.StoredTensor] = [:]
        var linearWeights = 0
        for name in reader.names {
            let entry = reader.entries[name]!
            guard [.f32, .f16, .bf16].contains(entry.dtype) else {  // position ids and the like, as they are
                reduced[name] = .init(dtype: entry.dtype, shape: entry.shape, bytes: Array(reader.storedBytes(name)!))
                continue
            }
            guard isBlockLinearWeight(name), entry.shape.count == 2 else {
                kept[name] = try reader.tensor(name)
                continue
            }
            let weight = try reader.tensor(name)
            linearWeights += 1
            switch precision {
            case .bf16:
                reduced[name] = bfloat16(weight)
            case .int8:
                let (q, scales) = int8PerRow(weight)
                reduced[name] = q
                kept[name + "_scale"] = scales
            case .fp32:
                break
            }
        }
        guard linearWeights > 0 else {
            throw ModelFileError(file: source, message: "has no Transformer encoder blocks (encoder.layer.N.…): only a Transformer's Linear layers are quantized")
        }
        try ModelWeightsFile.copyEverythingButWeights(from: directory, to: staging)
        let target = (staging as NSString).appendingPathComponent(ModelWeightsFile.name(for: precision))
        try SafetensorsWriter.write(kept, storedTensors: reduced, metadata: ModelWeightsFile.metadata(for: precision), to: target)
        let size = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0 }
        return Summary(reducedTensors: linearWeights, bytesBefore: size(source), bytesAfter: size(target))
    }

    /// The weight of one of a block's six Linear layers, whatever prefix the checkpoint puts before it.
    static func isBlockLinearWeight(_ name: String) -> Bool {
        let parts = name.split(separator: ".").map(String.init)
        guard let block = parts.firstIndex(of: "encoder"), block + 2 < parts.count, parts[block + 1] == "layer",
              Int(parts[block + 2]) != nil else { return false }
        let layer = parts[(block + 3)...].joined(separator: ".")
        return ["attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
                "attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight"].contains(layer)
    }

    /// Rounded to bf16 to nearest even, as the bf16 kernel packs it.
    static func bfloat16(_ weight: Tensor) -> SafetensorsWriter.StoredTensor {
        var bytes = [UInt8](repeating: 0, count: 2 * weight.count)
        for i in 0..<weight.count {
            let bits = bfloat16Bits(weight.pointer[i])
            bytes[2 * i] = UInt8(bits & 0xff)
            bytes[2 * i + 1] = UInt8(bits >> 8)
        }
        return .init(dtype: .bf16, shape: weight.shape, bytes: bytes)
    }

    /// Per output row: scale = max|w| / 127, q = w · 127 / max|w| rounded to nearest even — the int8
    /// kernel's own rule, so that packing q · scale again gives back q.
    static func int8PerRow(_ weight: Tensor) -> (SafetensorsWriter.StoredTensor, Tensor) {
        let (rows, columns) = (weight.shape[0], weight.shape[1])
        var bytes = [UInt8](repeating: 0, count: rows * columns)
        let scales = Tensor(zeros: [rows])
        for r in 0..<rows {
            let row = UnsafeBufferPointer(start: weight.pointer + r * columns, count: columns)
            let peak = row.reduce(Float(0)) { max($0, abs($1)) }
            scales.pointer[r] = peak / 127
            let quantize = peak > 0 ? 127 / peak : 0
            for c in 0..<columns {
                let q = min(127, max(-127, (row[c] * quantize).rounded(.toNearestOrEven)))
                bytes[r * columns + c] = UInt8(bitPattern: Int8(q))
            }
        }
        return (.init(dtype: .i8, shape: weight.shape, bytes: bytes), scales)
    }
}
