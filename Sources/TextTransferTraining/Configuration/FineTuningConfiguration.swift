import TextTransferCore
import TextTransferTokenization

/// How to adapt a pretrained encoder: every `text-transfer train` flag maps to one field. The defaults
/// work without tuning (AdamW, lr 5e-5 for the encoder and 1e-3 for the head, 6% warm-up then linear
/// decay, 3 epochs, batch 32, max length 128, dropout 0.1, weight decay 0.01).
public struct FineTuningConfiguration: Codable, Sendable, Equatable {
    public var model = "Models/all-MiniLM-L6-v2"
    /// transformer (the model itself), or bilstm, gru or bag over the model's WordPiece embedding table
    /// or, with `embeddings`, over word vectors.
    public var encoder = EncoderKind.transformer
    /// Hidden units per direction of the bilstm and gru encoders.
    public var hiddenSize = 256
    /// Units of a ReLU layer between the bilstm, gru or bag encoder's pooled vector and the logits; nil: none
    /// (the pooled vector goes straight to the linear head).
    public var headHidden: Int?
    /// Random embeddings (N(0, 1)) instead of the model's: the from-scratch baseline.
    public var fromScratch = false
    public var freezeEmbeddings = false
    /// A word-vector file (GloVe, word2vec, fastText .vec/.bin, converted table) for bilstm, gru and bag:
    /// they then read ICU word tokens, and each training word starts from its vector.
    public var embeddings: String?
    /// A static model directory (model2vec's layout, as `distill-embeddings` writes) whose token rows start
    /// the bilstm, gru and bag embeddings over `model`'s WordPiece tokens, instead of the model's own input
    /// embeddings; tokens it lacks ([CLS], [SEP]) start at zero.
    public var staticEmbeddings: String?
    /// ICU word tokens for bilstm, gru and bag even without a vector file (random embeddings).
    public var wordTokens: Bool?
    /// Embedding width of word tokens without a vector file (nil: 300); for bilstm, gru and bag over the
    /// model's WordPiece embeddings, their width after PCA (nil: the model's own).
    public var embeddingWidth: Int?
    /// Training words seen fewer times share the unknown vector; nil: 1.
    public var minWordCount: Int?
    /// Also give rows to the first N words of the vector file (its most frequent), not only the training words.
    public var vectorWords: Int?
    /// Keep the embeddings frozen for this many epochs, then train them.
    public var unfreezeEmbeddingsAfter: Int?
    /// How word tokens are found; nil: `WordSegmentationOptions.forWordVectors`.
    public var wordSegmentation: WordSegmentationOptions?
    /// feature-extraction, fine-tune, top-k:N, gradual-unfreeze, or setfit (its settings in `setfit`).
    public var strategy = TransferStrategy.fineTune
    public var pooling = Pooling.mean
    public var head = ClassificationHead.Kind.softmax
    /// L2-normalize the pooled vector before the head. nil: as the model's sentence-transformers files
    /// say for feature extraction (all-MiniLM-L6-v2 normalizes its embeddings), off otherwise.
    public var normalize: Bool?
    /// Class names in order; required for the ordinal head. Nil: the training labels, sorted.
    public var labels: [String]?
    public var epochs = 3
    public var batchSize = 32
    public var maxLength = 128
    public var encoderLearningRate: Float = 5e-5
    public var headLearningRate: Float = 1e-3
    public var warmupFraction: Float = 0.06
    public var weightDecay: Float = 0.01
    public var dropout: Float = 0.1
    /// Discriminative learning rates: block l of L trains at lr · decay^(L−1−l), embeddings at lr · decay^L.
    public var layerDecay: Float = 1
    public var maxGradientNorm: Double? = 1
    /// L2-SP strength α: the loss gains α/2·‖θ − θ₀‖² over the pretrained weights θ₀ (the head is not
    /// anchored), and those weights then take no decay toward zero. nil or 0: off.
    public var l2SP: Float?
    /// Label smoothing ε of the softmax loss (the target is (1−ε)·one-hot + ε/K); nil: 0.
    public var labelSmoothing: Float?
    public var seed: UInt64 = 42
    /// Evaluate on dev every N steps as well as after each epoch.
    public var evaluateEvery: Int?
    /// Stop after this many evaluations without a better dev accuracy.
    public var patience: Int?
    /// Which weights the run ends with: nil or "best" (the best dev score), "last" (the final step's, so
    /// that dev only reports and selects nothing), or "average" (the mean of the later epochs' end weights).
    public var keep: WeightsToKeep?
    /// With keep "average": the first epoch whose end weights are averaged; nil: the first from the 2nd
    /// on that begins after at least 100 steps (`firstAveragedEpoch`), the weights before that being still
    /// far from where training settles.
    public var averageFrom: Int?
    /// Epochs of the head for feature extraction (the encoder runs once, so these are cheap).
    public var featureExtractionEpochs = 20
    /// How feature extraction fits the head: nil or "adamw" (epochs of AdamW), or "lbfgs" (logistic
    /// regression to convergence, as scikit-learn; softmax head only).
    public var featureSolver: FeatureSolver?
    /// Separates the tags of a multi-label row ("DESC|DESC:manner").
    public var labelSeparator = "|"
    /// "balanced" weighs each class by N / (K · n_class) in the loss (scikit-learn's rule); nil: equal.
    public var classWeights: ClassWeighting?
    /// Multi-task learning: the tasks that share the encoder, each with its own head and labels (their
    /// examples come with `FineTuner.train(tasks:)`); `head` and `labels` then go unused. nil: one task.
    public var tasks: [TaskSettings]?
    /// Task sampling temperature T: an epoch gives task t a share of its steps proportional to
    /// n_t^(1/T), n_t its training batches. nil or 1: proportional to size (every example once per
    /// epoch); larger T moves toward equal shares, small tasks then repeat and large ones are subsampled.
    public var taskTemperature: Float?
    /// Knowledge distillation: how a student learns the teacher's logits given with its task
    /// (`TrainingTask.teacher`). nil: train on the labels alone.
    public var distillation: DistillationSettings?
    /// The setfit strategy's body training; nil: SetFit's defaults.
    public var setfit: SetFitSettings?

    public init() {}

    /// With keep "average", the first epoch averaged when an epoch takes `batchesPerEpoch` steps:
    /// `averageFrom`, else the first from the 2nd on that begins after at least `stepsBeforeAveraging`
    /// steps, or the last when none does.
    public func firstAveragedEpoch(batchesPerEpoch: Int) -> Int {
        if let averageFrom { return averageFrom }
        let settled = 1 + (Self.stepsBeforeAveraging + batchesPerEpoch - 1) / max(batchesPerEpoch, 1)
        return min(epochs, max(2, settled))
    }

    /// Steps before keep "average" starts averaging: earlier weights are still far from where training
    /// settles. On 400 SST-2 sentences (13 steps an epoch, 5 epochs) the mean from the 2nd epoch was 1.0–2.6 pt
    /// below the last weights on other training sentences, the mean of the 4th and 5th level with them; on
    /// TREC and SST-5 (154 and 267 steps an epoch) the mean from the 2nd was the better (BENCHMARKS.md).
    public static let stepsBeforeAveraging = 100

    /// Whether the encoder reads ICU word tokens (a vector file, or `wordTokens`) rather than WordPiece.
    public var usesWordTokens: Bool { embeddings != nil || wordTokens == true }

    enum CodingKeys: String, CodingKey {
        case model, encoder, strategy, pooling, epochs, seed, patience, dropout, head, labels, normalize, keep
        case hiddenSize = "hidden_size", headHidden = "head_hidden", fromScratch = "from_scratch", freezeEmbeddings = "freeze_embeddings", embeddings, staticEmbeddings = "static_embeddings"
        case wordTokens = "word_tokens", embeddingWidth = "embedding_width", minWordCount = "min_word_count"
        case unfreezeEmbeddingsAfter = "unfreeze_embeddings_after", wordSegmentation = "word_segmentation", vectorWords = "vector_words"
        case batchSize = "batch_size", maxLength = "max_length", encoderLearningRate = "encoder_lr", headLearningRate = "head_lr"
        case warmupFraction = "warmup", weightDecay = "weight_decay", layerDecay = "layer_decay", maxGradientNorm = "max_grad_norm"
        case evaluateEvery = "evaluate_every", featureExtractionEpochs = "feature_extraction_epochs", featureSolver = "feature_solver", classWeights = "class_weights", labelSeparator = "label_separator"
        case averageFrom = "average_from"
        case l2SP = "l2_sp", labelSmoothing = "label_smoothing", tasks, taskTemperature = "task_temperature", distillation, setfit
    }
}

/// One task of a multi-task run: its name (which `predict --task` takes), head kind and label order.
public struct TaskSettings: Codable, Sendable, Equatable {
    public var name: String
    public var head: ClassificationHead.Kind
    /// Class names in order (required for an ordinal head); nil: the training labels, sorted.
    public var labels: [String]?

    public init(name: String, head: ClassificationHead.Kind = .softmax, labels: [String]? = nil) {
        (self.name, self.head, self.labels) = (name, head, labels)
    }
}

/// SetFit's contrastive body training (Tunstall et al. 2022): pairs of training examples, the encoder's
/// pooled embeddings pulled toward cosine similarity 1 for a similar pair and 0 for a dissimilar one.
/// The defaults are SetFit's: 20 rounds of pairs, 16 pairs a step, learning rate 2e-5 with 10% warm-up.
/// The head is then fit on the tuned embeddings by logistic regression (L-BFGS); with `endToEnd`,
/// ordinary fine-tuning of encoder and head follows for `epochs` at `encoder_lr` and `head_lr`.
public struct SetFitSettings: Codable, Sendable, Equatable {
    /// Rounds of pairs: each pairs every example once with a similar and once with a dissimilar partner
    /// (SetFit's `num_iterations`), so a run trains on 2 · rounds · n pairs.
    public var pairRounds = 20
    public var pairBatchSize = 16
    public var learningRate: Float = 2e-5
    public var warmupFraction: Float = 0.1
    public var endToEnd = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case pairRounds = "pair_rounds", pairBatchSize = "pair_batch_size", learningRate = "lr", warmupFraction = "warmup"
        case endToEnd = "end_to_end"
    }
}
