import ArgumentParser
import Foundation
import TextTransfer

@main
struct TextTransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-transfer",
        abstract: "Transfer learning on text: fine-tune classifiers, embed, tokenize, and read word vectors.",
        subcommands: [EmbedCommand.self, TokenizeCommand.self, SimilarityCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InfoCommand.self, VectorsCommand.self, ConvertCommand.self, BenchCommand.self])
}

/// The default model directory the set-up script fills.
let defaultModelDirectory = "Models/all-MiniLM-L6-v2"

/// Options every model-using command shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Hugging Face model directory (config.json, model.safetensors, tokenizer files).")
    var model: String = defaultModelDirectory

    @Option(name: .long, help: "Compute threads (OpenBLAS and our loops); default OPENBLAS_NUM_THREADS or all cores.")
    var threads: Int?

    func applyThreads() throws {
        if let threads {
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            ComputeThreads.set(threads)
        }
    }
}

/// Stops the program with a one-line message on standard error and exit status 1.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("text-transfer: \(message)\n".utf8))
    exit(1)
}

/// Runs `body`, turning a thrown error into a one-line message and a non-zero exit.
func reportingErrors<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch let error as CleanExit { _ = error; exit(0) } catch { fail("\(error)") }
}
