import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize", abstract: "Write a copy of a Transformer model or classifier with its Linear weights stored in bf16 or int8.",
        discussion: """
        The copy predicts exactly as the original does with --precision (its weights are the values the kernels \
        compute with), loads in that precision by default, and is smaller: the encoder blocks' Linear weights \
        take 2 (bf16) or 1 (int8) bytes instead of 4; embeddings, LayerNorms, biases and heads stay fp32. Its \
        weights file is model.bf16.safetensors or model.int8.safetensors, so transformers does not mistake it \
        for fp32 weights (export the original for Hugging Face).
        EXAMPLES:
          text-transfer quantize --model Models/sst2 --precision int8 --output Models/sst2-int8
          echo "a dull mess" | text-transfer predict --model Models/sst2-int8
        """)

    @Option(help: "Transformer sentence encoder directory, or a Transformer classifier saved by train.") var model: String
    @Option(help: "bf16 or int8.") var precision: Precision
    @Option(help: "Directory to write.") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false

    func validate() throws {
        guard precision != .fp32 else { throw ValidationError("--precision must be bf16 or int8 (fp32 is the original)") }
    }

    func run() throws {
        reportingErrors {
            if isSameOrInside(model, directory: output) {
                throw InputError(message: "\(output): holds \(model), an input of this run: refusing to replace it")
            }
            let destination = try OutputDirectory.reserve(output, marker: ModelWeightsFile.name(for: precision), overwrite: overwrite, inputs: [model])
            var summary: ModelQuantization.Summary?
            try destination.write { summary = try ModelQuantization.write(from: model, precision: precision, to: $0) }
            guard let summary else { return }
            let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1e6) }
            printOutput("wrote \(destination.path): \(summary.reducedTensors) Linear weights in \(precision.rawValue), \(megabytes(summary.bytesAfter)) of weights (fp32: \(megabytes(summary.bytesBefore)))")
        }
    }
}
