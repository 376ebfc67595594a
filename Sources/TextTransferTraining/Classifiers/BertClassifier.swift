import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization

/// A pretrained BERT encoder with one classification head per task, trainable end to end. A single-task
/// model has one head, `classifier.*`; a multi-task one a head `classifier.<task>.*` per task, all over
/// the one shared encoder (and its pooler).
///
///     let model = try BertClassifier(directory: "Models/all-MiniLM-L6-v2", classes: 2)
///     let optimizer = AdamW()
///     let loss = try model.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 5e-5)
public final class BertClassifier {
    public let bert: TrainableBert
    public let heads: [ClassificationHead]
    /// How the encoder's states become the features every head reads.
    public let pooling: Pooling
    /// The first (for a single task, the only) head.
    public var head: ClassificationHead { heads[0] }
    public var store: ParameterStore { bert.store }
    public var hiddenDropout: Float
    public var attentionDropout: Float
    /// Seeds dropout: one stream for the whole run, so the same seed and thread count give the same weights.
    public var generator: RandomGenerator
    /// Global gradient-norm limit; nil leaves gradients unclipped.
    public var maxGradientNorm: Double?
    /// L2-SP: pulls the encoder toward its pretrained weights; nil: no such penalty.
    public var penalty: L2SPPenalty?
    let workspace = Workspace()
    public var steps = 0

    /// Loads the encoder and adds a head with `classes` outputs, initialized from `seed` (weights N(0, 0.02)).
    /// Dropout defaults to the model's config.json (0.1 for BERT).
    public convenience init(directory: String, classes: Int, pooling: Pooling = .pooler, kind: ClassificationHead.Kind = .softmax,
                            normalize: Bool = false, seed: UInt64 = 0) throws {
        try self.init(directory: directory, heads: [(kind, classes, "classifier")], pooling: pooling, normalize: normalize, seed: seed)
    }

    /// Loads the encoder and adds one head per entry (its kind, class count and parameter prefix), each
    /// initialized in turn from `seed`.
    public init(directory: String, heads specs: [(kind: ClassificationHead.Kind, classes: Int, prefix: String)],
                pooling: Pooling = .pooler, normalize: Bool = false, seed: UInt64 = 0) throws {
        precondition(!specs.isEmpty, "a classifier needs a head")
        precondition(!normalize || pooling != .pooler, "normalization applies to mean, cls or max pooling")
        self.pooling = pooling
        let config = try BertConfiguration.load(path: (directory as NSString).appendingPathComponent("config.json"))
        heads = specs.map { ClassificationHead(kind: $0.kind, classes: $0.classes, width: config.hiddenSize, normalize: normalize, prefix: $0.prefix) }
        bert = try TrainableBert(directory: directory, extraParameters: heads.flatMap(\.parameterShapes))
        if pooling == .pooler && bert.encoder.weights.pooler == nil {
            throw ModelFileError(file: directory, key: "pooler.dense.weight", message: "pooling 'pooler' needs the BERT pooler weights")
        }
        generator = RandomGenerator(seed: seed)
        for head in heads { head.initialize(bert.store, generator: &generator) }
        hiddenDropout = Float(config.hiddenDropoutProb)
        attentionDropout = Float(config.attentionProbsDropoutProb)
    }

    /// How many top encoder blocks have trainable parameters (nil: all, embeddings included; 0: none).
    var trainableLayers: Int? {
        let layers = bert.encoder.architecture.layers
        func trainable(_ prefix: String) -> Bool {
            store.parameters.contains { $0.trainable && $0.name.hasPrefix(prefix) }
        }
        if trainable("embeddings.") { return nil }
        var count = 0
        while count < layers && trainable("encoder.layer.\(layers - 1 - count).") { count += 1 }
        return count
    }

    /// One optimizer step on a batch of task `task` (its head): forward with dropout, softmax cross-entropy (optionally label-smoothed
    /// and class-weighted), backward, the L2-SP penalty, the non-finite guard, clipping, and the update.
    /// Returns the loss, the penalty included.
    @discardableResult
    public func trainStep(_ batch: TokenBatch, task: Int = 0, labels: [Int], optimizer: Optimizer, learningRate: Float,
                          labelSmoothing: Float = 0, classWeights: [Float]? = nil, targets: [Float]? = nil) throws -> Float {
        let head = heads[task]
        return try trainStep(batch, task: task, optimizer: optimizer, learningRate: learningRate) { logits in
            head.loss(logits: logits, labels: labels, targets: targets, labelSmoothing: labelSmoothing, classWeights: classWeights)
        }
    }

    /// One optimizer step toward any objective over task `task`'s logits: `loss` maps the batch's logits
    /// (B · outputs) to the loss and its gradient (the head's own loss, a distillation loss, …);
    /// `stateLoss`, when given, adds a loss of the pooled states (B · width) the head reads (hidden-state
    /// matching against a teacher's).
    @discardableResult
    public func trainStep(_ batch: TokenBatch, task: Int = 0, optimizer: Optimizer, learningRate: Float, loss: BatchLoss,
                          stateLoss: BatchLoss? = nil) throws -> Float {
        let value = try TextTransferTraining.trainStep(store: store, optimizer: optimizer, learningRate: learningRate, step: steps,
                                                       penalty: penalty, maxGradientNorm: maxGradientNorm) {
            try forwardAndLoss(batch, head: heads[task], loss: loss, stateLoss: stateLoss)
        }
        steps += 1
        return value
    }

    /// The loss of a batch, and the backward pass through the head and the trained encoder blocks.
    private func forwardAndLoss(_ batch: TokenBatch, head: ClassificationHead, loss batchLoss: BatchLoss, stateLoss: BatchLoss?) throws
        -> (loss: Float, backward: () throws -> Void) {
        workspace.reset()
        let trained = trainableLayers
        let hidden: Tensor
        var activations: BertActivations?
        if trained == 0 {  // frozen encoder: inference pass, nothing kept
            hidden = bert.encoder.forward(batch, workspace: workspace)
        } else {
            let a = bert.encoder.trainingForward(batch, workspace: workspace, hiddenDropout: hiddenDropout,
                                                 attentionDropout: attentionDropout, generator: &generator)
            activations = a
            hidden = a.output
        }
        let (pooled, pooledSaved) = bert.encoder.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace)
        let state = stateLoss?(pooled.values)
        let (logits, saved) = head.forward(pooled, store: store, workspace: workspace, dropout: hiddenDropout, generator: &generator)
        let (loss, gradient) = batchLoss(logits.values)
        return (loss + (state?.loss ?? 0), { [self] in
            let dLogits = workspace.tensor(logits.shape)
            gradient.withUnsafeBufferPointer { dLogits.pointer.update(from: $0.baseAddress!, count: gradient.count) }
            let dPooled = head.backward(dLogits, saved: saved, store: store, workspace: workspace)
            if let state {
                precondition(state.gradient.count == dPooled.count, "the state loss's gradient must be B × width")
                state.gradient.withUnsafeBufferPointer { addInPlace(dPooled.pointer, $0.baseAddress!, count: dPooled.count) }
            }
            // Through the pooler even when the encoder is frozen: its weights train with the head.
            let dHidden = bert.encoder.poolBackward(dPooled, saved: pooledSaved, gradients: bert.gradients, workspace: workspace)
            if let activations {
                bert.encoder.backward(dHidden, activations: activations, gradients: bert.gradients, workspace: workspace,
                                      layersToTrain: trained)
            }
        })
    }

    /// The head's pooled vectors (before dropout and the classifier) of each encoding, in input order:
    /// the features that feature extraction trains on.
    public func pooledFeatures(_ encodings: [Encoding], batchSize: Int = 64) -> [[Float]] {
        var unused = RandomGenerator(seed: 0)
        return mapLengthSortedBatches(encodings, batchSize: batchSize) { members in
            let batch = TokenBatch(encodings: members.map { encodings[$0] })
            workspace.reset()
            let hidden = bert.encoder.forward(batch, workspace: workspace)
            let (features, _) = bert.encoder.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace)
            let (_, saved) = head.forward(features, store: store, workspace: workspace, generator: &unused)
            let C = head.width
            let pooled = saved.featureValues
            return members.indices.map { row in Array(pooled[(row * C)..<((row + 1) * C)]) }
        }
    }

    /// Logits (B, outputs) of task `task`'s head for a batch, without dropout.
    public func logits(_ batch: TokenBatch, task: Int = 0) -> [[Float]] {
        let head = heads[task]
        workspace.reset()
        let hidden = bert.encoder.forward(batch, workspace: workspace)
        var generator = RandomGenerator(seed: 0)
        let (pooled, _) = bert.encoder.pool(hidden, lengths: batch.lengths, pooling: pooling, workspace: workspace)
        let (logits, _) = head.forward(pooled, store: store, workspace: workspace, generator: &generator)
        let n = head.outputs
        return (0..<batch.batch).map { Array(logits.values[($0 * n)..<(($0 + 1) * n)]) }
    }
}
