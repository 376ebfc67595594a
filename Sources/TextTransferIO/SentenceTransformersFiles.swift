import Foundation
import TextTransferCore

/// The sentence-transformers files beside a Hugging Face model: modules.json, 1_Pooling/config.json and
/// sentence_bert_config.json. Missing files mean the transformers defaults.
public struct SentenceTransformersFiles: Sendable, Equatable {

    public var maxSequenceLength: Int?
    /// What 1_Pooling/config.json asks for (mean, cls or max); nil without the file.
    public var pooling: Pooling?
    public var normalize: Bool

    public init(directory: String) throws {
        func json(_ name: String) throws -> [String: Any]? {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = readFileContents(atPath: path) else { return nil }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw ModelFileError(file: path, message: "not a JSON object")
            }
            return object
        }
        maxSequenceLength = try json("sentence_bert_config.json")?["max_seq_length"] as? Int
        if let p = try json("1_Pooling/config.json") {
            if p["pooling_mode_cls_token"] as? Bool == true { pooling = .cls }
            else if p["pooling_mode_max_tokens"] as? Bool == true { pooling = .max }
            else if p["pooling_mode_mean_tokens"] as? Bool == true { pooling = .mean }
        }
        normalize = false
        let modulesPath = (directory as NSString).appendingPathComponent("modules.json")
        if let data = readFileContents(atPath: modulesPath) {
            guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
                throw ModelFileError(file: modulesPath, message: "not a JSON list of modules")
            }
            normalize = modules.contains { ($0["type"] as? String)?.hasSuffix(".Normalize") == true }
        }
    }
}
