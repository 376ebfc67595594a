import Foundation
import TextTransferCore

/// A resumable run's checkpoint directory: state.json (where the run stands: any Codable record) beside
/// state.safetensors (its weights, optimizer moments and the like). Written into a staging folder and
/// swapped in whole, so that a kill at any moment leaves the previous checkpoint or the new one, never a
/// mix. Fine-tuning, `pretrain mlm` and the word-vector trainer keep their state in this one layout; each
/// checks what it reads against the run it is to continue.
public enum CheckpointFiles {
    public static let stateFile = "state.json"
    public static let tensorsFile = "state.safetensors"

    /// Writes `state` and the tensors of `views` (arrays, tensors or a model's matrices, written where they
    /// lie) as the checkpoint in `directory`, replacing the one there whole.
    public static func write<State: Encodable>(_ state: State, views: [String: SafetensorsWriter.FloatView], to directory: String) throws {
        try OutputDirectory.reserve(directory, marker: stateFile, locking: false).write { partial in
            try SafetensorsWriter.write(views: views, to: partial + "/" + tensorsFile)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(state).write(to: URL(fileURLWithPath: partial + "/" + stateFile))
        }
    }

    /// The record in `directory`'s state.json; a missing or undecodable one is an error naming the file.
    public static func readState<State: Decodable>(_ type: State.Type, from directory: String) throws -> State {
        let path = statePath(in: directory)
        guard let data = readFileContents(atPath: path) else { throw ModelFileError(file: path, message: "no checkpoint to resume from") }
        do { return try JSONDecoder().decode(State.self, from: data) } catch {
            throw ModelFileError(file: path, message: "not a valid checkpoint: \(error)")
        }
    }

    /// The tensors of the checkpoint in `directory`.
    public static func tensors(in directory: String) throws -> SafetensorsReader {
        try SafetensorsReader(path: tensorsPath(in: directory))
    }

    public static func statePath(in directory: String) -> String { directory + "/" + stateFile }
    public static func tensorsPath(in directory: String) -> String { directory + "/" + tensorsFile }

    /// Whether `directory` holds a checkpoint to resume from.
    public static func exists(in directory: String) -> Bool { FileManager.default.fileExists(atPath: statePath(in: directory)) }
}
