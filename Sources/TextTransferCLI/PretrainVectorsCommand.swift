import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferEmbeddings
import TextTransferIO

/// `pretrain skipgram` and `pretrain cbow`: fastText's unsupervised word vectors, trained here.
struct PretrainVectorsOptions: ParsableArguments {
    @Option(help: "Unlabelled text, one text per line (UTF-8); ICU cuts it into words.") var text: String
    @Option(help: "Writes NAME.bin (fastText's model format) and NAME.vec (the vectors as text).") var output: String
    @Option(help: "Vector dimension.") var dim: Int = 100
    @Option(help: "Largest context window.") var ws: Int = 5
    @Option(help: "Passes over the text.") var epoch: Int = 5
    @Option(help: "Words seen fewer times are left out.") var minCount: Int = 5
    @Option(help: "Negative samples per update.") var neg: Int = 5
    @Option(help: "Shortest character n-gram.") var minn: Int = 3
    @Option(help: "Longest character n-gram (0: no n-grams).") var maxn: Int = 6
    @Option(help: "Hash buckets of the n-grams.") var bucket: Int = 2_000_000
    @Option(help: "Learning rate, decayed linearly to 0.") var lr: Float = 0.05
    @Option(name: .customShort("t"), help: "Subsampling threshold of frequent words.") var t: Double = 1e-4
    @Option(help: "Training threads (default: OPENBLAS_NUM_THREADS or all cores); the vectors depend on the seed and this number only.")
    var threads: Int?
    @Option(help: "Seed of the initial vectors and every random draw.") var seed: UInt64 = 0
    @Option(help: "ICU locale for the word break rules (default: root; Thai, Chinese and Japanese dictionaries apply in every locale).")
    var locale: String = ""
    @Flag(help: "Keep letter case (default: case-folded NFKC words, as the word-vector encoders read them).") var keepCase = false
    @Option(help: "Write the settings, vocabulary size and loss as JSON here.") var resultJson: String?
    @Option(help: "Also write the text as the words it trains on, space-separated, one line per line (to train fastText or gensim on the same words).")
    var writeWords: String?
    @Option(help: ArgumentHelp("Tokens each thread trains between two merges of the threads' copies of the model: fewer keep the copies closer to one shared model (fastText's threads share one), at the cost of more merges. The vectors depend on it, the seed and the thread count. Default: enough for 128 merges in the run, 4,096 to 524,288.", valueName: "n"))
    var roundTokens: Int?
    @Option(help: "Save a checkpoint in NAME.checkpoint every N rounds (of --round-tokens tokens a thread); default: every 10 minutes, and on Ctrl-C.")
    var checkpointEvery: Int?
    @Flag(help: "Continue from NAME.checkpoint when there is one (same text, settings and threads: the vectors come out bit-identical).")
    var resume = false
    @Flag(help: "Keep NAME.checkpoint after a successful run (it is removed otherwise).") var keepCheckpoint = false

    func run(_ model: WordVectorSettings.Model) throws {
        try setComputeThreads(threads)
        reportingErrors {
            var s = WordVectorSettings()
            (s.model, s.dimension, s.window, s.epochs, s.minCount, s.negatives) = (model, dim, ws, epoch, minCount, neg)
            (s.minn, s.maxn, s.buckets, s.learningRate, s.samplingThreshold, s.seed) = (minn, maxn, bucket, lr, t, seed)
            s.threads = threads ?? ComputeThreads.count
            s.segmentation.locale = locale
            if keepCase { s.segmentation.caseFolding = false }
            let inputs = [text]
            for path in [output + ".bin", output + ".vec"] { try refuseInputAsOutput(path, inputs: inputs) }
            try refuseInputAsOutput(resultJson, inputs: inputs)
            try refuseInputAsOutput(writeWords, inputs: inputs)
            try s.validate()
            if let roundTokens, roundTokens < 1 { throw ValidationError("--round-tokens must be at least 1, not \(roundTokens)") }
            if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, not \(checkpointEvery)") }
            // Reserved (and locked) before the long work: a second run on the same NAME fails at once.
            let checkpoint = try OutputDirectory.reserve(output + ".checkpoint", marker: CheckpointFiles.stateFile, inputs: inputs)
            var trainer = WordVectorTrainer(settings: s)
            trainer.roundTokens = roundTokens
            let words = try trainer.segment(try readInputLines(text))
            if let writeWords { try writeAtomically(Data(words.map { $0.joined(separator: " ") + "\n" }.joined().utf8), to: writeWords, inputs: inputs) }
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            let started = Date()
            var lastSave = started
            let checkpoints = WordVectorCheckpoints(directory: checkpoint.path, resume: resume) { rounds in
                let due = checkpointEvery.map { rounds % $0 == 0 } ?? (Date().timeIntervalSince(lastSave) >= 600)
                if due { lastSave = Date() }
                return due
            }
            var lastLoss = Double.nan, shown = -1
            let vectors: TrainedWordVectors
            do {
                vectors = try trainer.train(words: words, checkpoints: checkpoints, progress: { p in
                    lastLoss = p.loss
                    if Int(20 * p.fraction) > shown {  // a line every 5%
                        shown = Int(20 * p.fraction)
                        writeStandardError(String(format: "%5.1f%%  words/sec/thread %.0f  loss %.4f", 100 * p.fraction, p.wordsPerSecondPerThread, p.loss))
                    }
                }, shouldStop: { stopRequested.load(ordering: .relaxed) })
            } catch let error as WordVectorTrainingError where error.isAboutTheText {
                throw WordVectorTrainingError(message: "\(text): \(error.message)")
            }
            guard lastLoss.isFinite else { throw WordVectorTrainingError(message: "the loss is \(lastLoss): lower --lr") }
            let seconds = Date().timeIntervalSince(started)
            try vectors.write(name: output, inputs: inputs)
            if keepCheckpoint { writeStandardError("the checkpoint stays in \(checkpoint.path)") } else { checkpoint.remove() }
            try writeResultJSON(WordVectorRun(settings: s, roundTokens: vectors.roundTokens, words: vectors.words.count, tokens: vectors.tokens, loss: lastLoss, seconds: seconds),
                                to: resultJson, inputs: inputs)
            printOutput(String(format: "%@: %d words, %lld tokens, %d epochs in %.1f s, loss %.4f; wrote %@.bin and %@.vec",
                               model.rawValue, vectors.words.count, vectors.tokens, s.epochs, seconds, lastLoss, output, output))
        }
    }
}

/// What a word-vector run writes to --result-json.
struct WordVectorRun: Encodable {
    let settings: WordVectorSettings
    /// Tokens a thread trained between merges (what the vectors depend on, with the settings).
    let roundTokens: Int
    let words: Int
    let tokens: Int64
    let loss: Double
    let seconds: Double
    enum CodingKeys: String, CodingKey { case settings, roundTokens = "round_tokens", words, tokens, loss, seconds }
}

struct PretrainSkipgramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skipgram", abstract: "Train fastText-style skip-gram word vectors with subword n-grams on unlabelled text.",
        discussion: """
        fastText's algorithm and defaults (dim 100, ws 5, epoch 5, minCount 5, neg 5, minn 3, maxn 6), on ICU words so that \
        Thai and Chinese work, deterministic for a seed and a thread count. NAME.bin loads in fastText \
        (print-word-vectors, including words it never saw) and gensim; train --embeddings NAME.vec uses the vectors.
        EXAMPLES:
          text-transfer pretrain skipgram --text reviews.txt --output Models/reviews-vectors
          text-transfer train --encoder bilstm --embeddings Models/reviews-vectors.vec --train labelled.tsv --output Models/reviews
        """)
    @OptionGroup var options: PretrainVectorsOptions
    func run() throws { try options.run(.skipgram) }
}

struct PretrainCBOWCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbow", abstract: "Train fastText-style CBOW word vectors with subword n-grams on unlabelled text.",
        discussion: "As pretrain skipgram, with fastText's CBOW: the mean of the context's rows predicts the word.")
    @OptionGroup var options: PretrainVectorsOptions
    func run() throws { try options.run(.cbow) }
}
