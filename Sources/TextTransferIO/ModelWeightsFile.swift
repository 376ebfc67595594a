import Foundation
import TextTransferCore

/// The weights file of a model directory: model.safetensors in fp32, or, in a directory written by
/// `text-transfer quantize`, model.bf16.safetensors or model.int8.safetensors — named apart so that no
/// loader that expects fp32 weights (transformers included) reads them as such.
public enum ModelWeightsFile {
    public static func name(for precision: Precision) -> String {
        precision == .fp32 ? "model.safetensors" : "model.\(precision.rawValue).safetensors"
    }

    /// The safetensors metadata that labels a quantized file with its precision (none for fp32).
    public static func metadata(for precision: Precision) -> [String: String] {
        precision == .fp32 ? [:] : ["text_transfer_precision": precision.rawValue]
    }

    /// The weights file `directory` holds and the precision it stores: model.safetensors when there is one,
    /// else the one quantized file; nil when there is none (or, ambiguously, two quantized files).
    public static func locate(in directory: String) -> (path: String, precision: Precision)? {
        let found = Precision.allCases.compactMap { precision -> (String, Precision)? in
            let path = (directory as NSString).appendingPathComponent(name(for: precision))
            return FileManager.default.fileExists(atPath: path) ? (path, precision) : nil
        }
        if let float32 = found.first(where: { $0.1 == .fp32 }) { return float32 }
        return found.count == 1 ? found[0] : nil
    }

    /// The error for a directory where `locate` finds nothing.
    public static func missing(in directory: String) -> ModelFileError {
        ModelFileError(file: (directory as NSString).appendingPathComponent(name(for: .fp32)),
                       message: "missing: the directory needs the weights as model.safetensors (or one of model.bf16/model.int8.safetensors from quantize)")
    }

    /// Copies every file and folder of `directory` but its weights files (and hidden files such as locks)
    /// into `staging`: what a new model directory made from this one (quantized, pretrained further) keeps.
    public static func copyEverythingButWeights(from directory: String, to staging: String) throws {
        let fm = FileManager.default
        let weights = Set(Precision.allCases.map(name(for:)))
        for entry in try fm.contentsOfDirectory(atPath: directory).sorted() where !weights.contains(entry) && !entry.hasPrefix(".") {
            try fm.copyItem(atPath: (directory as NSString).appendingPathComponent(entry), toPath: (staging as NSString).appendingPathComponent(entry))
        }
    }
}
