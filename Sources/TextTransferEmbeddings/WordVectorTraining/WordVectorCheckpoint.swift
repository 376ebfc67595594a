import Foundation
import TextTransferCore
import TextTransferIO

/// Where and when `WordVectorTrainer` saves its state, and whether it starts from a saved one.
///
/// A checkpoint is taken between two rounds, when the threads' copies have been merged into the shared
/// rows and each copy equals them again; the shared rows and each thread's place in the text, random
/// stream and progress are then the whole state, so a run resumed with the same text, settings and
/// thread count ends with the same bits as one never stopped.
public struct WordVectorCheckpoints {
    /// The checkpoint directory (replaced atomically at every save).
    public var directory: String
    /// Continue from the checkpoint in `directory` when there is one.
    public var resume: Bool
    /// Asked after every round, with the number of rounds done: true saves a checkpoint.
    public var due: (_ rounds: Int) -> Bool

    public init(directory: String, resume: Bool = false, due: @escaping (_ rounds: Int) -> Bool) {
        (self.directory, self.resume, self.due) = (directory, resume, due)
    }
}

/// Word-vector training stopped on request (Ctrl-C) after saving a checkpoint.
public struct WordVectorTrainingInterrupted: Error, CustomStringConvertible, LocalizedError {
    public let fraction: Double
    public let checkpoint: String
    public var errorDescription: String? { description }
    public var description: String {
        String(format: "interrupted at %.1f%%; checkpoint saved in %@: run again with --resume to continue", 100 * fraction, checkpoint)
    }
}

/// The saved state: state.json (this struct) and state.safetensors (the shared input and output rows).
struct WordVectorCheckpoint: Codable, Equatable {
    struct ThreadPlace: Codable, Equatable {
        var line: Int
        var random: UInt64
        var done: Int64
    }

    var settings: WordVectorSettings
    var roundTokens: Int
    /// What the text was, so that a checkpoint is never continued on other text: its token count and an
    /// FNV-1a digest of its word ids.
    var corpusTokens: Int
    var corpusDigest: UInt64
    var words: Int
    var rounds: Int
    var threads: [ThreadPlace]

    /// FNV-1a over the word ids, in order.
    static func digest(_ corpus: UnsafeBufferPointer<Int32>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for id in corpus {
            hash = (hash ^ UInt64(UInt32(bitPattern: id))) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    func write(to directory: String, input: UnsafeBufferPointer<Float>, output: UnsafeBufferPointer<Float>) throws {
        try CheckpointFiles.write(self, views: [
            "input": SafetensorsWriter.FloatView(shape: [input.count], values: input),
            "output": SafetensorsWriter.FloatView(shape: [output.count], values: output),
        ], to: directory)
    }

    /// The checkpoint in `directory`, checked against the run it is to continue (`expected`, whose
    /// `rounds` and `threads` are ignored), and its rows copied into `input` and `output`.
    static func read(from directory: String, expected: WordVectorCheckpoint, input: UnsafeMutableBufferPointer<Float>,
                     output: UnsafeMutableBufferPointer<Float>) throws -> WordVectorCheckpoint {
        let path = CheckpointFiles.statePath(in: directory)
        let saved = try CheckpointFiles.readState(WordVectorCheckpoint.self, from: directory)
        guard saved.settings == expected.settings, saved.roundTokens == expected.roundTokens, saved.corpusTokens == expected.corpusTokens,
              saved.corpusDigest == expected.corpusDigest, saved.words == expected.words else {
            throw ModelFileError(file: path, message: "the checkpoint was made with other settings, threads or text: resume with the same command")
        }
        // Each place's range is checked by the trainer, which knows the lines and each thread's share.
        guard saved.threads.count == expected.settings.threads, saved.rounds >= 0 else {
            throw ModelFileError(file: path, key: "threads", message: "the threads' places do not fit the run")
        }
        let tensors = try CheckpointFiles.tensors(in: directory)
        for (name, target) in [("input", input), ("output", output)] {
            let t = try tensors.tensor(name)
            guard t.count == target.count else {
                throw ModelFileError(file: tensors.path, key: name, message: "\(t.count) values for a model of \(target.count)")
            }
            let stored = UnsafeBufferPointer(start: t.pointer, count: t.count)
            guard stored.allSatisfy(\.isFinite) else {
                throw ModelFileError(file: tensors.path, key: name, message: "holds a value that is not finite")
            }
            _ = target.update(fromContentsOf: stored)
        }
        return saved
    }
}
