import Foundation
import TextTransferCore
import TextTransferIO

/// A smaller Transformer to distil into, initialised as DistilBERT initialises its student: the
/// teacher's embeddings and pooler, and of its L layers every k-th (k = L / N: layers 0, k, 2k, …). The
/// result is a model directory in the Hugging Face layout that `train --model` and `FineTuner` take.
public enum TransformerStudent {
    /// Writes the N-layer student of `teacher` (a classifier saved by `train`, or a pretrained model) into
    /// `directory`, and returns which teacher layers it took.
    @discardableResult
    public static func write(teacher: String, layers n: Int, to directory: String) throws -> [Int] {
        let configPath = teacher + "/config.json"
        guard let data = readFileContents(atPath: configPath),
              var config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelFileError(file: configPath, message: "missing or not a JSON object")
        }
        guard let total = config["num_hidden_layers"] as? Int else { throw ModelFileError(file: configPath, key: "num_hidden_layers", message: "missing") }
        guard total >= 2 else { throw ConfigurationError(key: "student", message: "the teacher has 1 layer: a smaller transformer needs a teacher with at least 2") }
        guard n >= 1 && n < total else {
            throw ConfigurationError(key: "student", message: "a transformer student has 1 to \(total - 1) layers (the teacher has \(total)), not \(n)")
        }
        let step = total / n
        let chosen = (0..<n).map { $0 * step }
        let reader = try SafetensorsReader(path: teacher + "/model.safetensors")
        var tensors: [String: Tensor] = [:]
        for name in reader.names {
            if name.hasPrefix("encoder.layer.") {
                let rest = name.dropFirst("encoder.layer.".count)
                guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]), let index = chosen.firstIndex(of: layer) else { continue }
                tensors["encoder.layer.\(index)" + rest[dot...]] = try reader.tensor(name)
            } else if name.hasPrefix("embeddings.") || name.hasPrefix("pooler.") {
                tensors[name] = try reader.tensor(name)
            }
        }
        config["num_hidden_layers"] = n
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: directory + "/config.json"))
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: directory + "/model.safetensors")
        for name in ClassifierDirectory.tokenizerFiles where name != "config.json" && fm.fileExists(atPath: teacher + "/" + name) {
            try? fm.removeItem(atPath: directory + "/" + name)
            try fm.copyItem(atPath: teacher + "/" + name, toPath: directory + "/" + name)
        }
        return chosen
    }
}
