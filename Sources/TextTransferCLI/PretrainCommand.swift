import ArgumentParser
import Foundation
import TextTransfer
import TextTransferIO
import TextTransferTraining

struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain", abstract: "The pretraining stage on your own unlabelled text.",
        subcommands: [PretrainMLMCommand.self, PretrainSkipgramCommand.self, PretrainCBOWCommand.self])
}

struct PretrainMLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlm", abstract: "Continue a Transformer's masked-LM pretraining on unlabelled text (TAPT/DAPT).",
        discussion: """
        BERT's recipe: 15% of the tokens (or of the words, --whole-word) chosen, 80% of them [MASK], 10% a random token, \
        10% kept; the lines concatenated and cut into sequences of --max-length (or one per line, --line-by-line). \
        The MLM head comes from the checkpoint when it has one, else it starts as BERT initializes one (all-MiniLM-L6-v2 \
        has none). A seeded slice of the lines is held out: every evaluation reports its masked-LM loss and how far the \
        sentence embeddings moved (mean cosine to the starting model's), the guard against forgetting; --l2-sp pulls \
        toward the starting weights. The output is a model directory for train --model, embed and pretrain again.
        EXAMPLES:
          text-transfer pretrain mlm --model Models/all-MiniLM-L6-v2 --text reviews.txt --tokens 2000000 --output Models/minilm-reviews
          text-transfer train --model Models/minilm-reviews --train labelled.tsv --output Models/reviews
        """)

    @Option(help: "The Transformer to continue from (a pretrained model directory or a pretrain output).") var model: String = "Models/all-MiniLM-L6-v2"
    @Option(help: "Unlabelled text, one text per line (UTF-8).") var text: String
    @Option(help: "Directory to write the pretrained model to (a pretrain output, an empty directory, or a new path).") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false
    @Option(help: "Stop after this many training tokens.") var tokens: Int?
    @Option(help: "Stop after this many steps.") var steps: Int?
    @Option(help: "Passes over the text (when neither --tokens nor --steps stops it first).") var epochs: Int = 1
    @Option(help: "Fraction of tokens (or words) to predict.") var mask: Double = 0.15
    @Flag(help: "Mask every piece of a chosen word together.") var wholeWord = false
    @Flag(help: "One sequence per line instead of the lines concatenated and cut to --max-length.") var lineByLine = false
    @Option(help: "Tokens per sequence.") var maxLength: Int = 128
    @Option(help: "Sequences per step.") var batchSize: Int = 32
    @Option(help: "Learning rate (TAPT's 1e-4), with 6% warm-up and linear decay.") var lr: Float = 1e-4
    @Option(name: .customLong("l2-sp"), help: "L2-SP strength α toward the starting weights (the guard against forgetting).") var l2SP: Float?
    @Option(help: "Held-out evaluations over the run.") var evaluations: Int = 10
    @Option(help: "When the model has no MLM head: the fraction of the steps that train the new head alone, the encoder frozen.")
    var headWarmup: Double = 0.1
    @Option(help: "Seed of the held-out slice, the masking, the order and dropout.") var seed: UInt64 = 42
    @Option(help: "Write the run's settings and held-out history as JSON here.") var resultJson: String?
    @Option(help: "Save a checkpoint every N steps (always at each epoch's end and on Ctrl-C) in OUTPUT.checkpoint.") var checkpointEvery: Int?
    @Flag(help: "Continue from OUTPUT.checkpoint when there is one.") var resume = false
    @Flag(help: "Keep OUTPUT.checkpoint after a successful run (it is removed otherwise).") var keepCheckpoint = false
    @Option(help: "Compute threads; default OPENBLAS_NUM_THREADS or all cores.") var threads: Int?

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            var s = PretrainingSettings()
            (s.model, s.maxTokens, s.maxSteps, s.epochs, s.maskProbability) = (model, tokens, steps, epochs, mask)
            (s.wholeWord, s.lineByLine, s.maxLength, s.batchSize, s.learningRate) = (wholeWord, lineByLine, maxLength, batchSize, lr)
            (s.l2SP, s.evaluations, s.seed, s.headWarmupFraction) = (l2SP, evaluations, seed, headWarmup)
            do { try s.validate() } catch let error as ConfigurationError {
                throw ValidationError("\(pretrainFlag(error.key)): \(error.message)")
            }
            let inputs = [text, model]
            try refuseInputAsOutput(resultJson, inputs: inputs)
            if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, not \(checkpointEvery)") }
            let destination = try OutputDirectory.reserve(output, marker: MaskedLanguagePretrainer.fileName, overwrite: overwrite, inputs: inputs)
            let checkpoint = try OutputDirectory.reserve(destination.path + ".checkpoint", marker: CheckpointFiles.stateFile, inputs: inputs, locking: false)
            let lines = try readInputLines(text)
            let pretrainer = try MaskedLanguagePretrainer(settings: s)
            // Ctrl-C asks the run to stop after the current step, save a checkpoint and exit cleanly.
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            let checkpoints = CheckpointOptions(directory: checkpoint.path, every: checkpointEvery, resume: resume,
                                                shouldStop: { stopRequested.load(ordering: .relaxed) })
            let result = try pretrainer.run(lines: lines, source: text, checkpoints: checkpoints, log: { writeStandardError($0) })
            try pretrainer.save(to: destination)
            if keepCheckpoint { writeStandardError("the checkpoint stays in \(checkpoint.path)") } else { checkpoint.remove() }
            try writeResultJSON(result, to: resultJson, inputs: inputs)
            let first = result.history.first!, last = result.history.last!
            printOutput(String(format: "pretrained %d steps, %d tokens in %.0f s: held-out MLM loss %.4f → %.4f, embeddings' cosine to the start %.4f; saved to %@",
                               result.steps, result.tokens, result.seconds, first.heldOutLoss, last.heldOutLoss, last.cosineToStart, output))
        }
    }

    /// The flag of a PretrainingSettings key.
    private func pretrainFlag(_ key: String) -> String {
        ["max_tokens": "--tokens", "max_steps": "--steps", "mask_probability": "--mask", "l2_sp": "--l2-sp", "head_warmup": "--head-warmup"][key]
            ?? "--" + key.replacingOccurrences(of: "_", with: "-")
    }
}
