import ArgumentParser
import Foundation
import TextTransfer

// `train`'s flags in the groups its --help shows. Each group writes its flags into the one
// FineTuningConfiguration field each maps to; the library validates the values (and names the key, which
// the CLI turns back into the flag).

/// The choice `value` names, or a one-line error listing the choices.
func choice<Choice: RawRepresentable & CaseIterable>(_ value: String, for flag: String) throws -> Choice where Choice.RawValue == String {
    guard let chosen = Choice(rawValue: value) else {
        throw ValidationError("\(flag) must be \(Choice.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
    }
    return chosen
}

struct TrainDataOptions: ParsableArguments {
    @Option(help: "Training data: .tsv, .csv (with a header row) or .jsonl (or give several tasks with --task).") var train: String?
    @Option(help: "Dev data; without it, a stratified --dev-fraction of the training data is held out.") var dev: String?
    @Option(help: "Held-out fraction when there is no --dev.") var devFraction: Double = 0.1
    @Option(help: "Choose settings without looking at dev: hold out this stratified fraction of the training data and evaluate on it instead of dev.")
    var tuneFraction: Double?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Name of a second text column: each example is a pair of texts.") var textPairColumn: String?
    @Option(help: "Comma-separated class names in order (required for --head ordinal).") var labels: String?
    @Option(help: "Separates the tags of a multi-label row.") var labelSeparator: String = "|"
    @Option(help: "Use only the first N training examples.") var limit: Int?
    @Option(help: "Few-shot: train on N examples of each class, drawn with --seed (multi-label: until each tag has N).") var shots: Int?
    @Option(help: "Write the training examples the run uses (after --shots, --limit, --tune-fraction) to this TSV file, for another tool to train on.")
    var writeTrain: String?
    @Option(help: "Write the dev examples the run evaluates on (the held-out part when there is no --dev) to this TSV file.") var writeDev: String?

    func validate() throws {
        guard devFraction.isFinite, devFraction > 0, devFraction < 1 else { throw ValidationError("--dev-fraction must be between 0 and 1, not \(devFraction)") }
        if let tuneFraction, !(tuneFraction.isFinite && tuneFraction > 0 && tuneFraction < 1) {
            throw ValidationError("--tune-fraction must be between 0 and 1, not \(tuneFraction)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
        if let shots, shots < 1 { throw ValidationError("--shots must be at least 1, not \(shots)") }
    }

    func apply(to c: inout FineTuningConfiguration) {
        c.labelSeparator = labelSeparator
        c.labels = labels.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) } }
    }
}

struct TrainModelOptions: ParsableArguments {
    @Option(help: "Pretrained Hugging Face model directory, or a classifier saved by train (its fine-tuned encoder, with a new head).")
    var model: String = "Models/all-MiniLM-L6-v2"
    @Option(help: "transformer, or bilstm, gru or bag over the model's WordPiece embeddings (or over word vectors with --embeddings).")
    var encoder: String = "transformer"
    @Option(help: "Word-vector file (GloVe, word2vec, fastText .vec/.bin, converted .safetensors) for bilstm, gru, bag: ICU word tokens start from these vectors.")
    var embeddings: String?
    @Flag(help: "ICU word tokens with random embeddings for bilstm, gru, bag (no vector file; e.g. Thai).") var wordTokens = false
    @Option(help: "Embedding width with --word-tokens (default 300); for bilstm, gru or bag over the model's WordPiece embeddings, their width after PCA (default: the model's own).")
    var embeddingWidth: Int?
    @Option(help: "Training words seen fewer times share the unknown vector (word tokens).") var minWordCount: Int = 1
    @Option(help: "With --embeddings: also give rows to the file's first N words, so words unseen in training keep their vectors.")
    var vectorWords: Int?
    @Option(help: "Hidden units per direction (bilstm, gru).") var hidden: Int = 256
    @Option(help: "bilstm, gru, bag: a ReLU layer of N units between the pooled vector and the logits (none by default).") var headHidden: Int?
    @Flag(help: "Random embeddings instead of the model's (the from-scratch baseline).") var fromScratch = false
    @Flag(help: "Keep the embedding table fixed (bilstm, gru, bag).") var freezeEmbeddings = false
    @Option(help: "Train the embeddings only after N epochs (frozen before).") var unfreezeEmbeddingsAfter: Int?
    @Option(help: "mean, cls, max or pooler (BERT's dense + tanh over [CLS]).") var pooling: String = "mean"
    @Option(help: "true or false: L2-normalize the pooled vector (default: the model's own setting for feature-extraction, else false).")
    var normalize: Bool?
    @Option(help: "Tokens per text, [CLS] and [SEP] included (at most the model's positions).") var maxLength: Int = 128

    func validate() throws {
        if wordTokens || embeddings != nil {
            guard ["bilstm", "gru", "bag"].contains(encoder) else { throw ValidationError("--embeddings and --word-tokens need --encoder bilstm, gru or bag") }
            guard minWordCount >= 1 else { throw ValidationError("--min-word-count must be at least 1") }
        }
        if let embeddingWidth {
            guard embeddingWidth >= 1 else { throw ValidationError("--embedding-width must be at least 1, not \(embeddingWidth)") }
            guard ["bilstm", "gru", "bag"].contains(encoder), embeddings == nil else {
                throw ValidationError("--embedding-width: \(embeddings != nil ? "the vector file sets the width" : "is for --encoder bilstm, gru or bag")")
            }
        }
        guard Pooling(rawValue: pooling) != nil else { throw ValidationError("--pooling must be mean, cls, max or pooler") }
        let _: EncoderKind = try choice(encoder, for: "--encoder")
    }

    func apply(to c: inout FineTuningConfiguration) {
        c.model = model
        c.encoder = EncoderKind(rawValue: encoder)!  // checked in validate()
        c.hiddenSize = hidden
        c.headHidden = headHidden
        c.fromScratch = fromScratch
        c.freezeEmbeddings = freezeEmbeddings
        c.embeddings = embeddings
        if wordTokens { c.wordTokens = true }
        if wordTokens || embeddings != nil {
            c.embeddingWidth = embeddingWidth ?? 300
            c.minWordCount = minWordCount
        } else {
            c.embeddingWidth = embeddingWidth  // the model's WordPiece embeddings reduced by PCA; nil keeps their width
        }
        c.unfreezeEmbeddingsAfter = unfreezeEmbeddingsAfter
        c.vectorWords = vectorWords
        c.pooling = Pooling(rawValue: pooling)!
        c.normalize = normalize
        c.maxLength = maxLength
    }
}

struct TrainStrategyOptions: ParsableArguments {
    @Option(help: "feature-extraction, fine-tune, top-k:N, gradual-unfreeze, setfit (contrastive pairs, then a logistic-regression head), or transfer-kernel (a kernel classifier for --train's domain from --source's labels; see its group).")
    var strategy: String = "fine-tune"
    /// Not a `TransferStrategy` of the trainer: `TrainCommand` runs `TransferKernelTraining` instead.
    var isTransferKernel: Bool { strategy == "transfer-kernel" }
    @Option(help: "softmax, ordinal (ordered labels; needs --labels in order), multi-label, or regression (numeric labels).") var head: String = "softmax"
    @Option(help: "Epochs of the head on cached features (feature-extraction).") var featureEpochs: Int = 20
    @Option(help: "Feature extraction's head fit: adamw (epochs) or lbfgs (logistic regression to convergence, as scikit-learn).")
    var featureSolver: String = "adamw"
    @Option(help: "Layer-wise learning-rate decay factor (1: none).") var layerDecay: Float = 1
    @Option(name: .customLong("l2-sp"), help: "L2-SP strength α: penalize α/2·‖θ − θ₀‖², the distance from the pretrained weights, instead of decaying them toward zero.")
    var l2SP: Float?
    @Option(help: "Label smoothing ε of the softmax loss.") var labelSmoothing: Float?
    @Option(help: "balanced: weigh classes by N / (K · count) in the softmax loss.") var classWeights: String?
    @Option(help: "setfit: rounds of pairs (each pairs every example with a similar and a dissimilar one).") var pairRounds: Int?
    @Option(help: "setfit: pairs per step.") var pairBatchSize: Int?
    @Option(help: "setfit: the encoder's learning rate on pairs.") var pairLr: Float?
    @Flag(help: "setfit: after the head, fine-tune encoder and head together for --epochs at --lr and --head-lr.") var endToEnd = false

    func validate() throws {
        guard ClassificationHead.Kind(rawValue: head) != nil else { throw ValidationError("--head must be softmax, ordinal, multi-label or regression") }
        guard TransferStrategy(strategy) != nil || isTransferKernel else {
            throw ValidationError("--strategy must be feature-extraction, fine-tune, top-k:N (N ≥ 1), gradual-unfreeze, setfit or transfer-kernel, not '\(strategy)'")
        }
        if strategy != "setfit", pairRounds != nil || pairBatchSize != nil || pairLr != nil || endToEnd {
            throw ValidationError("--pair-rounds, --pair-batch-size, --pair-lr and --end-to-end set the setfit strategy; add --strategy setfit")
        }
        let _: FeatureSolver = try choice(featureSolver, for: "--feature-solver")
        if let classWeights { let _: ClassWeighting = try choice(classWeights, for: "--class-weights") }
    }

    func apply(to c: inout FineTuningConfiguration) {
        guard let chosen = TransferStrategy(strategy) else { return }  // transfer-kernel: not the trainer's
        c.strategy = chosen
        c.head = ClassificationHead.Kind(rawValue: head)!
        c.featureExtractionEpochs = featureEpochs
        c.featureSolver = featureSolver == "adamw" ? nil : FeatureSolver(rawValue: featureSolver)
        c.layerDecay = layerDecay
        c.l2SP = l2SP
        c.labelSmoothing = labelSmoothing
        c.classWeights = classWeights.flatMap(ClassWeighting.init(rawValue:))
        if c.strategy == .setfit {
            var s = SetFitSettings()
            s.pairRounds = pairRounds ?? s.pairRounds
            s.pairBatchSize = pairBatchSize ?? s.pairBatchSize
            s.learningRate = pairLr ?? s.learningRate
            s.endToEnd = endToEnd
            c.setfit = s
        }
    }
}

struct TrainOptimizationOptions: ParsableArguments {
    @Option(help: "Epochs.") var epochs: Int = 3
    @Option(help: "Examples per step.") var batchSize: Int = 32
    @Option(help: "Encoder learning rate.") var lr: Float = 5e-5
    @Option(help: "Head learning rate.") var headLr: Float = 1e-3
    @Option(help: "Warm-up as a fraction of all steps.") var warmup: Float = 0.06
    @Option(help: "AdamW weight decay (not on biases and norms).") var weightDecay: Float = 0.01
    @Option(help: "Dropout.") var dropout: Float = 0.1
    @Option(help: "Seed for initialization, dropout and shuffling.") var seed: UInt64 = 42
    @Option(help: "Compute threads.") var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func apply(to c: inout FineTuningConfiguration) {
        c.epochs = epochs
        c.batchSize = batchSize
        c.encoderLearningRate = lr
        c.headLearningRate = headLr
        c.warmupFraction = warmup
        c.weightDecay = weightDecay
        c.dropout = dropout
        c.seed = seed
    }
}

struct TrainEvaluationOptions: ParsableArguments {
    @Option(help: "Evaluate on dev every N steps too.") var evaluateEvery: Int?
    @Option(help: "Stop after N evaluations without a better dev accuracy.") var patience: Int?
    @Option(help: "best: end with the weights of the best dev evaluation; last: with the final weights; average: with the mean of the weights at the ends of the epochs from --average-from on (dev only reports, for last and average).")
    var keep: String = "best"
    @Option(help: "With --keep average: the first epoch averaged (default: the first from the 2nd on that begins after 100 steps, else the last).") var averageFrom: Int?

    func validate() throws { let _: WeightsToKeep = try choice(keep, for: "--keep") }

    func apply(to c: inout FineTuningConfiguration) {
        c.evaluateEvery = evaluateEvery
        c.patience = patience
        c.keep = keep == "best" ? nil : WeightsToKeep(rawValue: keep)
        c.averageFrom = averageFrom
    }
}

struct TrainOutputOptions: ParsableArguments {
    @Option(help: "Directory to write the classifier to (a classifier saved by train, an empty directory, or a new path).") var output: String
    @Flag(help: "Replace whatever is at --output, even if it is not a classifier saved by train (a file, another directory, an input of this run).")
    var overwrite = false
    @Option(help: "Write one JSON object per step and per evaluation here (JSON Lines; appended to on --resume).") var logJson: String?
    @Option(help: "Write the final result (dev metrics, history) as JSON here.") var resultJson: String?
    @Option(help: "Write learning_curve.svg and confusion.svg to this directory.") var plot: String?
    @Option(help: "Save a checkpoint every N steps (always at each epoch's end and on Ctrl-C) in OUTPUT.checkpoint.") var checkpointEvery: Int?
    @Flag(help: "Continue from OUTPUT.checkpoint when there is one.") var resume = false
    @Flag(help: "Keep OUTPUT.checkpoint after a successful run (it is removed otherwise).") var keepCheckpoint = false
    @Flag(help: "Skip the transfer verdict (the from-scratch n-gram baseline and the frozen probe trained beside the model, and whether transfer helped).")
    var noVerdict = false

    func validate() throws {
        if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, not \(checkpointEvery)") }
    }
}

struct TrainTransferKernelOptions: ParsableArguments {
    @Option(help: "transfer-kernel: labelled source-domain data; --train (or --target-unlabeled) gives the target's texts, whose labels are not used, and --dev scores.")
    var source: String?
    @Option(help: "transfer-kernel: the target's unlabelled texts (.txt, one per line, or labelled data whose labels are not used), in place of --train's.")
    var targetUnlabeled: String?
    @Option(help: "transfer-kernel: a few labelled target examples, trained on beside the source.") var targetLabeled: String?
    @OptionGroup var kernel: TransferKernelFlags
    @Option(help: "transfer-kernel: keep each set's encoder features here, for the next run over the same texts.") var featureCache: String?

    var isUsed: Bool { source != nil || targetUnlabeled != nil || targetLabeled != nil || featureCache != nil || kernel.isUsed }
}
