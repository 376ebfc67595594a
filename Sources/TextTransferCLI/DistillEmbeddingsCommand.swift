import ArgumentParser
import Foundation
import TextTransfer
import TextTransferIO

struct DistillEmbeddingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill-embeddings", abstract: "Distil a Transformer into a static token table (model2vec's method): a sentence encoder that only averages rows.",
        discussion: "One forward pass per vocabulary token, PCA to --dimensions, Zipf/SIF weights. The output is in model2vec's layout (config.json, model.safetensors, tokenizer.json): embed and similarity take it, model2vec's StaticModel.from_pretrained loads it. --model may also be a classifier saved by train: its fine-tuned encoder is distilled.\n\nEXAMPLES:\n  text-transfer distill-embeddings --model Models/all-MiniLM-L6-v2 --output Models/minilm-static\n  text-transfer embed --model Models/minilm-static < texts.txt")

    @OptionGroup var model: ModelOptions
    @Option(help: "Dimensions kept by PCA (at most the encoder's width).") var dimensions: Int = 256
    @Option(help: "SIF coefficient a of the weights a / (a + p(token)), in (0, 1).") var sifCoefficient: Double = 1e-4
    @Flag(help: "No SIF weighting.") var noSif = false
    @Option(help: "Directory to write the static model to.") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false

    func validate() throws {
        guard dimensions >= 1 else { throw ValidationError("--dimensions must be at least 1, not \(dimensions)") }
        guard sifCoefficient > 0 && sifCoefficient < 1 else { throw ValidationError("--sif-coefficient must be in (0, 1), not \(sifCoefficient)") }
    }

    func run() throws {
        try model.applyThreads()
        reportingErrors {
            // config.json also marks a Hugging Face model: only a static model is replaced without --overwrite.
            var isFolder: ObjCBool = false
            if !overwrite, FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), isFolder.boolValue,
               !((try? FileManager.default.contentsOfDirectory(atPath: output))?.isEmpty ?? true), !StaticEmbeddingModel.isStatic(directory: output) {
                throw InputError(message: "\(output): holds something other than a static model; --overwrite replaces it")
            }
            let destination = try OutputDirectory.reserve(output, marker: "config.json", overwrite: overwrite, inputs: [model.model])
            let table = try StaticDistillation.distill(from: model.model, dimensions: dimensions, sifCoefficient: noSif ? nil : sifCoefficient,
                                                       log: { writeStandardError($0) })
            try destination.write { try table.write(to: $0) }
            printOutput("saved a static model of \(table.count) tokens × \(table.dimension) dimensions to \(destination.path)")
        }
    }
}
