import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// A trained classifier read from the directory `FineTuner.save` (or `text-transfer train`) wrote.
///
///     let classifier = try TextClassifier(directory: "Models/sst2-classifier")
///     let p = classifier.predict(["a gorgeous, witty film"])[0]   // p.label, p.probabilities
///
/// Immutable and safe to share across threads.
public final class TextClassifier: Sendable {
    public struct Prediction: Sendable, Equatable {
        /// The predicted class; for a multi-label head, the predicted tags joined by its separator.
        public let label: String
        /// One probability per class, in `labels` order.
        public let probabilities: [Float]
        /// Multi-label: every class whose probability reaches its threshold. Otherwise just `label`.
        public let tags: [String]
    }

    public let description: ClassifierDescription
    /// WordPiece, or for word-token classifiers the ICU word tokenizer over words.txt.
    public let tokenizer: any TextTokenizer
    /// The Transformer encoder; nil for the bilstm, gru and bag encoders. Loaded once and never written,
    /// and only its inference pass runs (each call in its own workspace), which is what makes sharing its
    /// non-Sendable weight views safe.
    nonisolated(unsafe) public let encoder: BertEncoder?
    public let head: ClassificationHead
    /// How the encoder's states are pooled for the head.
    public let pooling: Pooling
    /// The head's weights. A ParameterStore is mutable (training writes it), so it is not Sendable; this
    /// one is filled once in `init` and only read after, which is what makes sharing it safe.
    nonisolated(unsafe) private let headWeights: ParameterStore
    /// The bilstm, gru or bag model. Only its read-only forward pass runs, each call in its own
    /// workspace, which is what makes sharing it safe.
    nonisolated(unsafe) private let embeddingModel: RecurrentClassifier?
    /// A transfer-kernel classifier's head (Nyström map, TCA projection, logistic regression), which reads
    /// the pooled vectors in place of `head`'s weights; nil for every other classifier.
    private let kernelHead: KernelHead?
    private let workspaces = WorkspacePool()

    public var labels: [String] { description.labels }

    /// Reads the classifier in `directory`; for a multi-task classifier, the head of `task`. `precision` is
    /// what a Transformer encoder's Linear layers compute in (the head stays fp32); nil: what the directory
    /// stores (fp32, or what `text-transfer quantize` wrote).
    public init(directory: String, task: String? = nil, precision requested: Precision? = nil) throws {
        let path = (directory as NSString).appendingPathComponent(ClassifierDescription.fileName)
        let reader: SafetensorsReader
        let stored: ClassifierDescription
        (stored, tokenizer, reader) = try ClassifierDirectory.read(directory)
        let precision = requested ?? ModelWeightsFile.locate(in: directory)?.precision ?? .fp32
        description = try stored.selecting(task: task, path: path)
        let K = description.labels.count
        func load(_ store: ParameterStore, _ shapes: [(name: String, shape: [Int])]) throws {
            for (name, shape) in shapes {
                guard let entry = reader.entries[name] else { throw ModelFileError(file: reader.path, key: name, message: "missing tensor") }
                guard entry.shape == shape else {
                    throw ModelFileError(file: reader.path, key: name,
                                         message: "shape \(entry.shape) disagrees with the \(K) labels and settings of text_transfer.json, which imply \(shape)")
                }
                let t = try reader.tensor(name)
                store.value(name).pointer.update(from: t.pointer, count: t.count)
            }
        }
        if description.encoder == .transformer {
            let (_, bert) = try PretrainedBert.load(directory: directory)
            try description.validate(path: path, maxPositions: bert.architecture.maxPositions)
            encoder = bert.converted(to: precision)
            embeddingModel = nil
            let C = bert.architecture.width
            head = ClassificationHead(kind: description.head, classes: K, width: C, normalize: description.normalize ?? false,
                                      prefix: description.headPrefix)
            pooling = description.pooling
            if pooling == .pooler && bert.weights.pooler == nil {
                throw ModelFileError(file: reader.path, key: "pooler.dense.weight", message: "missing tensor (the classifier pools with the BERT pooler)")
            }
            if let kernel = description.kernel {
                do {
                    kernelHead = try KernelHead(bandwidth: kernel.bandwidth) { name in try reader.entries[name].map { _ in try reader.tensor(name) } }
                } catch let error as ConfigurationError {
                    // σ is in text_transfer.json; every other key names a tensor of the weights file.
                    throw ModelFileError(file: error.key == "kernel.bandwidth" ? path : reader.path, key: error.key, message: error.message)
                }
                guard kernelHead!.inputWidth == C, kernelHead!.classes == K else {
                    throw ModelFileError(file: reader.path, key: KernelHead.landmarksName,
                                         message: "a kernel over \(kernelHead!.inputWidth)-wide vectors into \(kernelHead!.classes) classes, for an encoder of width \(C) and \(K) labels")
                }
                headWeights = ParameterStore([])
            } else {
                kernelHead = nil
                headWeights = ParameterStore(head.parameterShapes)
                try load(headWeights, head.parameterShapes)
            }
        } else {
            guard precision == .fp32 else {
                throw ModelFileError(file: path, key: "encoder", message: "a \(description.encoder.rawValue) classifier computes in fp32 only; \(precision.rawValue) is for Transformer encoders")
            }
            guard let table = reader.entries["embedding.weight"], table.shape.count == 2 else {
                throw ModelFileError(file: reader.path, key: "embedding.weight", message: "missing the embedding table (V, E)")
            }
            let cell = description.encoder.cell
            let model = RecurrentClassifier(vocabularySize: table.shape[0], embeddingWidth: table.shape[1],
                                            hiddenSize: description.training.hiddenSize, cell: cell, bidirectional: true, classes: K,
                                            headHidden: description.training.headHidden,
                                            embeddings: try reader.tensor("embedding.weight"))
            try load(model.store, model.store.parameters.map { ($0.name, $0.shape) })
            if PackedLinear.runsFloat32Inference { model.packForInference() }
            encoder = nil
            embeddingModel = model
            kernelHead = nil
            head = ClassificationHead(kind: .softmax, classes: K, width: model.featureWidth)
            pooling = description.encoder == .bag ? .mean : .max
            headWeights = ParameterStore([])
        }
        try reader.requireFinite()
    }

    /// The most probable label and every class probability of each text, in input order.
    /// With `pairs`, each text is classified together with its pair ([CLS] text [SEP] pair [SEP]).
    public func predict(_ texts: [String], pairs: [String]? = nil, batchSize: Int = 32) -> [Prediction] {
        logits(texts, pairs: pairs, batchSize: batchSize).map { prediction(fromLogits: $0) }
    }

    /// The head's logits of each text (K for softmax, K−1 for ordinal), in input order: what a student
    /// learns from when this classifier teaches (`Distiller`).
    public func logits(_ texts: [String], pairs: [String]? = nil, batchSize: Int = 32) -> [[Float]] {
        logitsAndStates(texts, pairs: pairs, batchSize: batchSize, keepingStates: false).logits
    }

    /// The logits and, in the same pass, the pooled states the head reads (before any normalization), of
    /// each text in input order: what a Transformer teacher gives a student that matches its states. The
    /// states are nil for the bilstm, gru and bag encoders.
    public func logitsAndStates(_ texts: [String], pairs: [String]? = nil, batchSize: Int = 32) -> (logits: [[Float]], states: [[Float]]?) {
        logitsAndStates(texts, pairs: pairs, batchSize: batchSize, keepingStates: true)
    }

    private func logitsAndStates(_ texts: [String], pairs: [String]?, batchSize: Int, keepingStates: Bool) -> (logits: [[Float]], states: [[Float]]?) {
        precondition(pairs == nil || pairs!.count == texts.count, "\(pairs?.count ?? 0) pairs for \(texts.count) texts")
        let encodings = tokenizer.encode(texts, pairs: pairs, maxLength: description.maxLength)
        let (K, C) = (head.outputs, head.width)
        let keeps = keepingStates && encoder != nil
        let rows = workspaces.withWorkspace { workspace in
            var unused = RandomGenerator(seed: 0)
            return mapLengthSortedBatches(encodings, batchSize: batchSize) { members -> [(logits: [Float], state: [Float]?)] in
                let batch = TokenBatch(encodings: members.map { encodings[$0] })
                workspace.reset()
                let logits: [Float]
                var states: [Float]?
                if let embeddingModel {
                    logits = embeddingModel.logits(batch, workspace: workspace).flatMap { $0 }
                } else if let kernelHead {
                    let hidden = encoder!.forward(batch, workspace: workspace)
                    let pooled = encoder!.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace).pooled
                    if keeps { states = pooled.values }
                    if head.normalize { l2NormalizeRows(pooled.pointer, rows: members.count, width: C) }
                    logits = kernelHead.logits(members.indices.map { Array(UnsafeBufferPointer(start: pooled.pointer + $0 * C, count: C)) }).flatMap { $0 }
                } else {
                    let hidden = encoder!.forward(batch, workspace: workspace)
                    let (pooled, _) = encoder!.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace)
                    if keeps { states = pooled.values }
                    logits = head.forward(pooled, store: headWeights, workspace: workspace, generator: &unused).logits.values
                }
                return members.indices.map { row in
                    (Array(logits[(row * K)..<((row + 1) * K)]), states.map { Array($0[(row * C)..<((row + 1) * C)]) })
                }
            }
        }
        return (rows.map(\.logits), keeps ? rows.map { $0.state! } : nil)
    }

    /// The vectors the head reads, one per text in input order: the encoder's states pooled as the
    /// classifier pools them, L2-normalized when the head normalizes — the sentence embeddings of the
    /// fine-tuned encoder (what `HuggingFaceExport`'s sentence-transformers form computes). Transformer
    /// classifiers only (nil for the bilstm, gru and bag encoders, whose features are not pooled states).
    public func features(_ texts: [String], batchSize: Int = 32) -> [[Float]]? {
        guard let encoder else { return nil }
        let encodings = tokenizer.encode(texts, maxLength: description.maxLength)
        let C = head.width
        return workspaces.withWorkspace { workspace in
            mapLengthSortedBatches(encodings, batchSize: batchSize) { members in
                let batch = TokenBatch(encodings: members.map { encodings[$0] })
                workspace.reset()
                let hidden = encoder.forward(batch, workspace: workspace)
                let pooled = encoder.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace).pooled.values
                return members.indices.map { row in
                    let v = Array(pooled[(row * C)..<((row + 1) * C)])
                    guard head.normalize else { return v }
                    let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                    return v.map { $0 / norm }
                }
            }
        }
    }

    /// The label (or tags, or value) of one row of `logits`, as the head's kind decodes them.
    public func prediction(fromLogits logits: [Float]) -> Prediction {
        let z = logits[...]
        let p = head.probabilities(z)
        let (label, tags) = head.kind.rules.decode(p, logits: z, labels: labels, thresholds: description.thresholds,
                                                   separator: description.labelSeparator ?? "|")
        return Prediction(label: label, probabilities: p, tags: tags)
    }
}
