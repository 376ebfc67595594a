import Foundation
import TextTransferCore

/// A Hugging Face model directory as stored: config.json and model.safetensors (or a quantized weights
/// file, `ModelWeightsFile`), with a lookup of tensors by name that checks each against the shape the
/// configuration implies.
public struct ModelDirectory {
    public let path: String
    public let configuration: BertConfiguration
    public let weights: SafetensorsReader
    public var weightsPath: String { weights.path }

    public init(_ directory: String) throws {
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ModelFileError(file: directory, message: "no such model directory")
        }
        path = directory
        configuration = try BertConfiguration.load(path: (directory as NSString).appendingPathComponent("config.json"))
        guard let (weightsPath, _) = ModelWeightsFile.locate(in: directory) else { throw ModelWeightsFile.missing(in: directory) }
        weights = try SafetensorsReader(path: weightsPath)
    }

    /// The stored name of `key`: itself, or with the "bert." prefix that task checkpoints
    /// (BertForSequenceClassification and the like) put before the encoder's keys; nil if neither is there.
    public func storedName(_ key: String) -> String? {
        if weights.entries[key] != nil { return key }
        if weights.entries["bert." + key] != nil { return "bert." + key }
        return nil
    }

    /// The tensor `key` (or bert.`key`), which must have `shape`.
    public func tensor(_ key: String, shape: [Int]) throws -> Tensor {
        guard let name = storedName(key) else {
            throw ModelFileError(file: weightsPath, key: key, message: "missing tensor (also looked for bert.\(key))")
        }
        let found = weights.entries[name]!.shape
        guard found == shape else {
            throw ModelFileError(file: weightsPath, key: name, message: "shape \(found) disagrees with config.json, which implies \(shape)")
        }
        return try weights.tensor(name)
    }
}
