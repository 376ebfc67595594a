import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// Everything `pretrain mlm` needs to continue where it stopped, bit for bit (same seed and thread
/// count): the position in the run, the three generators, the held-out history, and in
/// state.safetensors the weights, both AdamW moments and the starting model's held-out embeddings
/// (what the drift is measured against).
struct PretrainingCheckpoint: Codable {
    var settings: PretrainingSettings
    var sequences: Int
    var epoch: Int
    var batchesDone: Int
    /// The batch-order generator at the start of `epoch`, so that its batches are drawn again.
    var epochGeneratorState: [UInt64]
    var maskingGeneratorState: [UInt64]
    var dropoutGeneratorState: [UInt64]
    var step: Int
    var modelSteps: Int
    var optimizerSteps: Int
    var tokens: Int
    var lossSum: Double
    var lossCount: Int
    var history: [PretrainingEvaluation]

    func write(to directory: String, values: [Float], first: [Float], second: [Float], startEmbeddings: [[Float]]) throws {
        let width = startEmbeddings.first?.count ?? 0
        try CheckpointFiles.write(self, views: [
            "values": .init(shape: [values.count], array: values), "adam.first": .init(shape: [first.count], array: first),
            "adam.second": .init(shape: [second.count], array: second),
            "start_embeddings": .init(shape: [startEmbeddings.count, width], array: startEmbeddings.flatMap { $0 }),
        ], to: directory)
    }

    /// The checkpoint in `directory`, checked against the run it is to continue.
    static func read(from directory: String, settings: PretrainingSettings, sequences: Int, parameters: Int)
        throws -> (PretrainingCheckpoint, values: Tensor, first: Tensor, second: Tensor, startEmbeddings: Tensor) {
        let path = CheckpointFiles.statePath(in: directory)
        let checkpoint = try CheckpointFiles.readState(PretrainingCheckpoint.self, from: directory)
        guard checkpoint.settings == settings, checkpoint.sequences == sequences else {
            throw ModelFileError(file: path, message: "the checkpoint was made with other settings or text: resume with the same command")
        }
        for (state, key) in [(checkpoint.epochGeneratorState, "epochGeneratorState"), (checkpoint.maskingGeneratorState, "maskingGeneratorState"),
                             (checkpoint.dropoutGeneratorState, "dropoutGeneratorState")] where state.count != 4 {
            throw ModelFileError(file: path, key: key, message: "a generator state has 4 words, found \(state.count)")
        }
        guard checkpoint.epoch >= 1, checkpoint.epoch <= settings.epochs + 1, checkpoint.batchesDone >= 0, checkpoint.step >= 0 else {
            throw ModelFileError(file: path, key: "epoch", message: "the position \(checkpoint.epoch):\(checkpoint.batchesDone) is outside the run")
        }
        let tensors = try CheckpointFiles.tensors(in: directory)
        func stored(_ name: String) throws -> Tensor {
            let t = try tensors.tensor(name)
            guard t.count == parameters else {
                throw ModelFileError(file: tensors.path, key: name, message: "\(t.count) values for a model of \(parameters)")
            }
            return t
        }
        return (checkpoint, try stored("values"), try stored("adam.first"), try stored("adam.second"),
                try tensors.tensor("start_embeddings"))
    }
}
