import ArgumentParser
import Foundation
import TextTransfer
import TextTransferEmbeddings

@main
struct TextTransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-transfer",
        abstract: "Transfer learning on text: fine-tune classifiers, embed, tokenize, and read word vectors.",
        version: textTransferVersion,
        subcommands: [EmbedCommand.self, TokenizeCommand.self, SimilarityCommand.self, TrainCommand.self, DistillCommand.self, DistillEmbeddingsCommand.self, DomainsCommand.self, AdaptCommand.self, EvaluateCommand.self, VerdictCommand.self, PredictCommand.self, ExportCommand.self, QuantizeCommand.self, RankCommand.self, AutotuneCommand.self, PretrainCommand.self, InfoCommand.self, VectorsCommand.self, ConvertCommand.self, BenchCommand.self])

    /// ArgumentParser's main, with every error as one line on standard error (a bad flag value as much as a
    /// bad file) and ArgumentParser's exit codes (64 for usage); help and --version print as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = self.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            writeStandardError("text-transfer: " + (message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message))
            Foundation.exit(code.rawValue)
        }
    }
}

/// The release this build belongs to (`text-transfer --version`).
let textTransferVersion = "0.2.0"

/// The default model directory the set-up script fills.
let defaultModelDirectory = "Models/all-MiniLM-L6-v2"

/// Options every model-using command shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Hugging Face model directory (config.json, model.safetensors, tokenizer files).")
    var model: String = defaultModelDirectory

    @Option(name: .long, help: "Compute threads (OpenBLAS and our loops); default OPENBLAS_NUM_THREADS or all cores.")
    var threads: Int?

    func applyThreads() throws { try setComputeThreads(threads) }
}

/// Applies a command's --threads (nil: the default), refusing a count below 1.
func setComputeThreads(_ threads: Int?) throws {
    if let threads {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        ComputeThreads.set(threads)
    }
}

/// Stops the program with a one-line message on standard error and exit status 1.
func fail(_ message: String) -> Never {
    writeStandardError("text-transfer: \(message)")
    exit(1)
}

/// Runs `body`, turning a thrown error into a one-line message and a non-zero exit.
func reportingErrors<T>(_ body: () throws -> T) -> T {
    do {
        return try body()
    } catch let error as CleanExit {
        _ = error
        exit(0)
    } catch let error as ConfigurationError {
        fail("\(flag(forConfigurationKey: error.key)): \(error.message)")
    } catch let error as TrainingInterrupted {
        writeStandardError("text-transfer: \(error)")
        exit(130)  // as a shell reports a process ended by Ctrl-C
    } catch let error as WordVectorTrainingInterrupted {
        writeStandardError("text-transfer: \(error)")
        exit(130)
    } catch {
        fail("\(error)")
    }
}

/// The `train` flag of a FineTuningConfiguration key: `batch_size` is `--batch-size`, save for the few
/// flags named otherwise.
func flag(forConfigurationKey key: String) -> String {
    let renamed = ["encoder_lr": "--lr", "feature_extraction_epochs": "--feature-epochs", "hidden_size": "--hidden"]
    if key == "max_grad_norm" { return key }  // no flag: only the API sets it
    if key.hasPrefix("tasks") { return "--task" }  // tasks[2].name and the like: the third --task
    let setfit = ["setfit": "--strategy", "setfit.pair_rounds": "--pair-rounds", "setfit.pair_batch_size": "--pair-batch-size",
                  "setfit.lr": "--pair-lr", "setfit.warmup": "setfit.warmup"]  // the warm-up has no flag: only the API sets it
    if let flag = setfit[key] { return flag }
    if key.hasPrefix("distillation.") { return "--" + key.dropFirst("distillation.".count) }  // distill's --temperature, --alpha
    return renamed[key] ?? "--" + key.replacingOccurrences(of: "_", with: "-")
}

/// `--precision` of the inference commands.
struct PrecisionOptions: ParsableArguments {
    @Option(help: "fp32, bf16 or int8: what the Transformer's Linear layers compute in (the rest stays fp32). Default: what the model stores (fp32, or what quantize wrote).")
    var precision: Precision?

    /// The precision asked for (nil: the model's own).
    var chosen: Precision? { precision }

    /// Once the model has loaded: a note on standard error when this CPU lacks the chosen precision's
    /// instructions (not before, so that a model refusing the precision gets its one-line error alone).
    func noteIfSlow() { if let precision { _ = noteMissingInstructions(precision) } }
}

/// `precision`, after a note on standard error when this CPU lacks its vector instructions.
func noteMissingInstructions(_ precision: Precision) -> Precision {
    if precision != .fp32 && !precision.hasVectorKernel {
        writeStandardError("text-transfer: note: this CPU has no AVX-512 \(precision == .bf16 ? "BF16" : "VNNI") instructions;"
                           + " \(precision.rawValue) computes the same numbers with portable code, many times slower")
    }
    return precision
}

extension Precision: ExpressibleByArgument {}
