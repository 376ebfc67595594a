import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization

/// A BERT-family encoder with its masked-LM head, trainable end to end: continued pretraining on
/// unlabelled text. The head is read from the checkpoint when it has one (`cls.predictions.*`, as
/// transformers' BertForMaskedLM saves it) and otherwise initialized as BERT initializes it —
/// all-MiniLM-L6-v2, a sentence-transformers model, ships none.
public final class MaskedLanguageModel {
    public let bert: TrainableBert
    public let head: MaskedLanguageModelHead
    public var store: ParameterStore { bert.store }
    /// Whether the head came from the checkpoint (false: freshly initialized).
    public let headWasLoaded: Bool
    public var hiddenDropout: Float
    public var attentionDropout: Float
    public var generator: RandomGenerator
    public var maxGradientNorm: Double? = 1
    public var penalty: L2SPPenalty?
    public var steps = 0
    private let workspace = Workspace()

    public init(directory: String, seed: UInt64 = 0) throws {
        let config = try BertConfiguration.load(path: (directory as NSString).appendingPathComponent("config.json"))
        let shapes = MaskedLanguageModelHead.parameterShapes(width: config.hiddenSize, vocabularySize: config.vocabSize)
        bert = try TrainableBert(directory: directory, extraParameters: shapes)
        head = MaskedLanguageModelHead(width: config.hiddenSize, vocabularySize: config.vocabSize, epsilon: Float(config.layerNormEps))
        generator = RandomGenerator(seed: seed)
        let files = try ModelDirectory(directory)
        let stored = shapes.filter { files.storedName($0.name) != nil }
        if stored.count == shapes.count {
            for (name, shape) in shapes {
                let t = try files.tensor(name, shape: shape)
                bert.store.value(name).pointer.update(from: t.pointer, count: t.count)
            }
            headWasLoaded = true
        } else {
            MaskedLanguageModelHead.initialize(bert.store, generator: &generator)
            headWasLoaded = false
        }
        hiddenDropout = Float(config.hiddenDropoutProb)
        attentionDropout = Float(config.attentionProbsDropoutProb)
    }

    /// The masked-LM loss of a batch (`labels`: the original token id at each predicted position, −1
    /// elsewhere; one per token of the batch) and its backward pass through the head, the tied decoder
    /// and the whole encoder, accumulating into the store's gradients (which it zeroes first).
    public func lossAndGradients(_ batch: TokenBatch, labels: [Int32]) throws -> Double {
        store.zeroGradients()
        let (loss, backward) = try forward(batch, labels: labels)
        try backward()
        return loss
    }

    /// One optimizer step: forward with dropout, the loss, backward, the L2-SP penalty, the non-finite
    /// guard, clipping and the update. Returns the loss (penalty included).
    @discardableResult
    public func trainStep(_ batch: TokenBatch, labels: [Int32], optimizer: Optimizer, learningRate: Float) throws -> Float {
        let value = try TextTransferTraining.trainStep(store: store, optimizer: optimizer, learningRate: learningRate, step: steps,
                                                       penalty: penalty, maxGradientNorm: maxGradientNorm) {
            let (loss, backward) = try forward(batch, labels: labels)
            return (Float(loss), backward)
        }
        steps += 1
        return value
    }

    /// The loss without training (no dropout, nothing kept): what the held-out slice reports.
    public func loss(_ batch: TokenBatch, labels: [Int32]) -> Double? {
        workspace.reset()
        let hidden = bert.encoder.forward(batch, workspace: workspace)
        return head.loss(hidden: hidden, labels: labels, store: store, workspace: workspace)?.loss
    }

    /// Mean-pooled, L2-normalized sentence embeddings of `encodings` (no dropout), in input order: what the
    /// drift from the starting model is measured on.
    public func meanEmbeddings(_ encodings: [Encoding], batchSize: Int = 64) -> [[Float]] {
        mapLengthSortedBatches(encodings, batchSize: batchSize) { members in
            let batch = TokenBatch(encodings: members.map { encodings[$0] })
            workspace.reset()
            let hidden = bert.encoder.forward(batch, workspace: workspace)
            let (pooled, _) = bert.encoder.pool(hidden, lengths: batch.lengths, pooling: .mean, workspace: workspace)
            let C = head.width
            l2NormalizeRows(pooled.pointer, rows: members.count, width: C)
            return members.indices.map { Array(UnsafeBufferPointer(start: pooled.pointer + $0 * C, count: C)) }
        }
    }

    private func forward(_ batch: TokenBatch, labels: [Int32]) throws -> (Double, () throws -> Void) {
        workspace.reset()
        let activations = bert.encoder.trainingForward(batch, workspace: workspace, hiddenDropout: hiddenDropout,
                                                       attentionDropout: attentionDropout, generator: &generator)
        guard let (loss, headBackward) = head.loss(hidden: activations.output, labels: labels, store: store, workspace: workspace) else {
            throw TrainingError.nothingToPredict(step: steps)
        }
        // While the encoder is frozen (a new head's warm-up) nothing below the head needs a gradient.
        let encoderTrains = store.parameters.contains { $0.trainable && !$0.name.hasPrefix("cls.") }
        return (loss, { [self] in
            let dHidden = headBackward()
            if encoderTrains {
                bert.encoder.backward(dHidden, activations: activations, gradients: bert.gradients, workspace: workspace)
            }
        })
    }
}
