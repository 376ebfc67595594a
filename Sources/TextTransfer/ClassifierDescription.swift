import TextTransferTokenization
import TextTransferTraining

/// text_transfer.json: what a saved classifier needs beyond its weights.
public struct ClassifierDescription: Codable, Sendable {
    /// The file's name inside a saved classifier; its presence marks a directory as one.
    public static let fileName = "text_transfer.json"
    public var format = "text-transfer-classifier-1"
    /// Class names in output order.
    public var labels: [String]
    public var head: ClassificationHead.Kind
    /// transformer, bilstm, gru or bag (the last three keep their sizes in `training`); absent in
    /// descriptions written before these encoders existed, which are all transformer.
    public var encoderName: EncoderKind?
    public var encoder: EncoderKind { encoderName ?? .transformer }
    public var pooling: Pooling
    /// Whether the head L2-normalizes the pooled vector; absent means false.
    public var normalize: Bool?
    public var maxLength: Int
    /// `BertTokenizer.fingerprint` of the tokenizer the classifier was trained with.
    public var tokenizerFingerprint: String
    public var baseModel: String
    public var training: FineTuningConfiguration
    /// Dev metrics: single-label ones, or for a multi-label head `multiLabelMetrics` and the tuned `thresholds`.
    public var metrics: ClassificationReport?
    public var multiLabelMetrics: MultiLabelReport?
    public var regressionMetrics: RegressionReport?
    public var thresholds: [Float]?
    public var labelSeparator: String?
    /// Set for classifiers over ICU word tokens: how words are found; the vocabulary is words.txt.
    public var wordSegmentation: WordSegmentationOptions?
    /// A multi-task classifier's tasks, each with its own head over the shared encoder (the fields above
    /// then describe the first); nil for a single task.
    public var tasks: [Task]?
    /// Set for a classifier of `train --strategy transfer-kernel`: the frozen encoder's pooled vectors go
    /// through the `KernelHead` stored under `kernel.` in model.safetensors instead of a linear head.
    public var kernel: Kernel?

    public struct Kernel: Codable, Sendable {
        /// The RBF kernel's σ.
        public var bandwidth: Double
        /// What reverse validation chose: TCA's μ and components, or no adaptation.
        public var chosen: TransferKernelClassifier.Candidate
        /// Every setting reverse validation scored.
        public var candidates: [TransferKernelClassifier.Candidate]
        /// σ as a multiple of the median heuristic, chosen on held-out source (nil in files written before the choice).
        public var bandwidthScale: Double?

        enum CodingKeys: String, CodingKey { case bandwidth, chosen, candidates, bandwidthScale = "bandwidth_scale" }

        public init(bandwidth: Double, bandwidthScale: Double? = nil, chosen: TransferKernelClassifier.Candidate,
                    candidates: [TransferKernelClassifier.Candidate]) {
            (self.bandwidth, self.bandwidthScale, self.chosen, self.candidates) = (bandwidth, bandwidthScale, chosen, candidates)
        }
    }

    /// Which task this description was selected for (`selecting(task:)`); not stored.
    public private(set) var selectedTask: String?
    /// Where the head's weights are in model.safetensors.
    public var headPrefix: String { ClassificationHead.prefix(task: selectedTask) }

    /// One task of a multi-task classifier: its head, labels and dev metrics.
    public struct Task: Codable, Sendable {
        public var name: String
        public var labels: [String]
        public var head: ClassificationHead.Kind
        public var metrics: ClassificationReport?
        public var multiLabelMetrics: MultiLabelReport?
        public var regressionMetrics: RegressionReport?
        public var thresholds: [Float]?
        public var labelSeparator: String?

        public init(name: String, labels: [String], head: ClassificationHead.Kind, evaluation: TaskEvaluation, labelSeparator: String) {
            (self.name, self.labels, self.head) = (name, labels, head)
            (metrics, multiLabelMetrics, regressionMetrics) = (evaluation.report, evaluation.multiLabel, evaluation.regression)
            thresholds = evaluation.multiLabel?.thresholds
            self.labelSeparator = head == .multiLabel ? labelSeparator : nil
        }

        enum CodingKeys: String, CodingKey {
            case name, labels, head, metrics, thresholds
            case multiLabelMetrics = "multi_label_metrics", regressionMetrics = "regression_metrics", labelSeparator = "label_separator"
        }
    }

    /// The description of one task's classifier: that task's labels, head and metrics. `task` nil is
    /// the classifier of a single-task description; a multi-task one needs a task named.
    public func selecting(task: String?, path: String) throws -> ClassifierDescription {
        guard let tasks else {
            if let task { throw ModelFileError(file: path, key: "tasks", message: "has no tasks (asked for task '\(task)'): it is a single-task classifier") }
            return self
        }
        let names = tasks.map(\.name).joined(separator: ", ")
        guard let task else { throw ModelFileError(file: path, key: "tasks", message: "is a multi-task classifier: choose one of its tasks (\(names))") }
        guard let chosen = tasks.first(where: { $0.name == task }) else {
            throw ModelFileError(file: path, key: "tasks", message: "has no task '\(task)'; its tasks are \(names)")
        }
        var selected = self
        (selected.labels, selected.head, selected.metrics) = (chosen.labels, chosen.head, chosen.metrics)
        (selected.multiLabelMetrics, selected.regressionMetrics) = (chosen.multiLabelMetrics, chosen.regressionMetrics)
        (selected.thresholds, selected.labelSeparator, selected.selectedTask) = (chosen.thresholds, chosen.labelSeparator, chosen.name)
        return selected
    }

    public init(labels: [String], head: ClassificationHead.Kind, pooling: Pooling, maxLength: Int, tokenizerFingerprint: String,
                baseModel: String, training: FineTuningConfiguration, metrics: ClassificationReport?,
                multiLabelMetrics: MultiLabelReport? = nil, regressionMetrics: RegressionReport? = nil) {
        self.labels = labels
        self.head = head
        encoderName = training.encoder
        self.pooling = pooling
        normalize = training.normalize
        self.maxLength = maxLength
        self.tokenizerFingerprint = tokenizerFingerprint
        self.baseModel = baseModel
        self.training = training
        self.metrics = metrics
        self.multiLabelMetrics = multiLabelMetrics
        self.regressionMetrics = regressionMetrics
        thresholds = multiLabelMetrics?.thresholds
        labelSeparator = head == .multiLabel ? training.labelSeparator : nil
    }

    enum CodingKeys: String, CodingKey {
        case format, labels, head, pooling, training, metrics, normalize
        case encoderName = "encoder"
        case maxLength = "max_length", tokenizerFingerprint = "tokenizer_fingerprint", baseModel = "base_model"
        case multiLabelMetrics = "multi_label_metrics", regressionMetrics = "regression_metrics", thresholds, labelSeparator = "label_separator"
        case wordSegmentation = "word_segmentation", tasks, kernel
    }
}

extension ClassifierDescription {
    /// Checks a description read from disk like any other input: labels, lengths, thresholds and the
    /// training settings it rebuilds the model from. `maxPositions` is the encoder's position table (nil
    /// for word-token encoders, which have none).
    public func validate(path: String, maxPositions: Int?) throws {
        func fail(_ key: String, _ message: String) -> ModelFileError { ModelFileError(file: path, key: key, message: message) }
        if let tasks {
            guard !tasks.isEmpty else { throw fail("tasks", "lists no task") }
            guard Set(tasks.map(\.name)).count == tasks.count else { throw fail("tasks", "names a task twice") }
            if let task = selectedTask, !tasks.contains(where: { $0.name == task }) { throw fail("tasks", "has no task '\(task)'") }
        }
        guard !labels.isEmpty else { throw fail("labels", "lists no class") }
        guard Set(labels).count == labels.count else { throw fail("labels", "names a class twice") }
        let longest = maxPositions ?? (1 << 20)
        guard maxLength >= 2 && maxLength <= longest else {
            throw fail("max_length", "\(maxLength) must be in 2...\(longest)\(maxPositions == nil ? "" : " (the model's positions)")")
        }
        if head == .multiLabel {
            guard let thresholds, thresholds.count == labels.count else {
                throw fail("thresholds", "a multi-label classifier needs one threshold per label (\(labels.count)), found \(thresholds?.count ?? 0)")
            }
            if let bad = thresholds.first(where: { !($0.isFinite && $0 >= 0 && $0 <= 1) }) { throw fail("thresholds", "\(bad) is not a probability") }
        }
        do { try training.validate() } catch let error as ConfigurationError {
            throw fail("training." + error.key, error.message)
        }
    }
}

