import TextTransferCore
import TextTransferEncoders

/// Token embeddings → LSTM or GRU (one direction or both) → max over each sequence's real tokens →
/// linear → K logits; or, with `cell` nil, a bag of embeddings: the mean of the real tokens' embeddings →
/// linear. With `headHidden` M, a ReLU layer of M units sits between the pooled vector and the logits (Tang
/// et al.'s BiLSTM student, model2vec's classifier, Iyyer et al.'s deep averaging network).
/// Parameters: `embedding.weight` (V, E), the recurrent layer's `rnn.*` (PyTorch names), with M
/// `head.weight` (M, D·H or E) and `head.bias` (M), then `classifier.weight` (K, M or D·H or E),
/// `classifier.bias` (K).
public final class RecurrentClassifier {
    /// nil for a bag of embeddings.
    public let layer: RecurrentLayer?
    public let embeddingWidth: Int
    public let store: ParameterStore
    public let vocabularySize: Int
    public let classes: Int
    /// Units of the ReLU layer before the logits; nil: the pooled vector goes straight to them.
    public let headHidden: Int?
    public var generator: RandomGenerator
    /// Global gradient-norm limit; nil leaves gradients unclipped.
    public var maxGradientNorm: Double?
    private let workspace = Workspace()
    public var steps = 0
    /// L2-SP: pulls pretrained embeddings (and layers) toward their starting values; nil: no such penalty.
    public var penalty: L2SPPenalty?
    /// The recurrent layer's weights packed for inference (`packForInference`); nil runs its products on
    /// OpenBLAS, as training does.
    private var packed: RecurrentLayer.PackedWeights?

    /// Initializes as PyTorch does (embeddings N(0, 1), recurrent weights U(±1/√H), classifier U(±1/√(D·H)))
    /// from `seed`, or copies `embeddings` (V, E) when given (pretrained vectors).
    public init(vocabularySize: Int, embeddingWidth: Int, hiddenSize: Int, cell: RecurrentLayer.Cell?, bidirectional: Bool,
                classes: Int, headHidden: Int? = nil, seed: UInt64 = 0, embeddings: Tensor? = nil) {
        let layer = cell.map { RecurrentLayer(cell: $0, inputSize: embeddingWidth, hiddenSize: hiddenSize, bidirectional: bidirectional) }
        self.layer = layer
        self.embeddingWidth = embeddingWidth
        self.vocabularySize = vocabularySize
        self.classes = classes
        self.headHidden = headHidden
        store = ParameterStore(Self.parameterShapes(vocabularySize: vocabularySize, embeddingWidth: embeddingWidth, layer: layer,
                                                    headHidden: headHidden, classes: classes))
        generator = RandomGenerator(seed: seed)
        let table = store.value("embedding.weight")
        if let embeddings {
            precondition(embeddings.shape == [vocabularySize, embeddingWidth], "embeddings \(embeddings.shape) for a (\(vocabularySize), \(embeddingWidth)) table")
            table.pointer.update(from: embeddings.pointer, count: embeddings.count)
        } else {
            for i in 0..<table.count { table.pointer[i] = generator.nextNormal() }
        }
        layer?.initialize(store, generator: &generator)
        // The head layer draws after the classifier, so that a model without one starts as it always did.
        for (names, inputs) in [(["classifier.weight", "classifier.bias"], headHidden ?? featureWidth)]
            + (headHidden == nil ? [] : [(["head.weight", "head.bias"], featureWidth)]) {
            let bound = 1 / Float(inputs).squareRoot()
            for name in names {
                let t = store.value(name)
                for i in 0..<t.count { t.pointer[i] = (generator.nextUnitFloat() * 2 - 1) * bound }
            }
        }
    }

    /// Every parameter's name and shape.
    public static func parameterShapes(vocabularySize: Int, embeddingWidth: Int, layer: RecurrentLayer?, headHidden: Int? = nil,
                                       classes: Int) -> [(name: String, shape: [Int])] {
        let width = layer?.outputSize ?? embeddingWidth
        let head: [(name: String, shape: [Int])] = headHidden.map { [("head.weight", [$0, width]), ("head.bias", [$0])] } ?? []
        return [("embedding.weight", [vocabularySize, embeddingWidth])] + (layer?.parameterShapes() ?? []) + head
            + [("classifier.weight", [classes, headHidden ?? width]), ("classifier.bias", [classes])]
    }

    /// The pooled vector's width: D·H for a recurrent layer, E for a bag of embeddings.
    public var featureWidth: Int { layer?.outputSize ?? embeddingWidth }

    /// Freezes or unfreezes the embedding table.
    public var embeddingsTrainable: Bool {
        get { store.parameter("embedding.weight")!.trainable }
        set { store.setTrainable(newValue, matching: "embedding.weight") }
    }

    /// Rows of the embedding table held at their values while the other rows train (pretrained word vectors
    /// under --freeze-embeddings, while the unknown vector and words without a vector learn): copied back
    /// after every optimizer step.
    public private(set) var pinnedRows: [Int] = []
    private var pinnedValues: [Float] = []

    public func pinEmbeddingRows(_ rows: [Int]) {
        let table = store.value("embedding.weight")
        pinnedRows = rows
        pinnedValues = rows.flatMap { Array(UnsafeBufferPointer(start: table.pointer + $0 * embeddingWidth, count: embeddingWidth)) }
    }

    public func unpinEmbeddingRows() { (pinnedRows, pinnedValues) = ([], []) }

    private func restorePinnedRows() {
        guard !pinnedRows.isEmpty else { return }
        let table = store.value("embedding.weight")
        pinnedValues.withUnsafeBufferPointer { saved in
            for (k, row) in pinnedRows.enumerated() {
                (table.pointer + row * embeddingWidth).update(from: saved.baseAddress! + k * embeddingWidth, count: embeddingWidth)
            }
        }
    }

    struct Pass {
        let embedded: Tensor, rnnSaved: RecurrentLayer.Saved?, pooled: Tensor, argmax: [Int32], logits: Tensor
        /// The head layer's ReLU output (B, M), when there is one.
        let headActivations: Tensor?
    }

    /// Packs the recurrent layer's weights once for our fp32 kernel, for a model that is
    /// done training (a loaded classifier): later training would not reach the packed copy, so it is dropped
    /// by the next training step.
    public func packForInference() {
        packed = layer?.packedWeights(store)
    }

    /// Logits (B, K) for a batch, from `workspace`; safe to call from several threads with their own
    /// workspaces (it only reads the store).
    func forward(_ batch: TokenBatch, workspace: Workspace) -> Pass {
        let (B, T, E, D) = (batch.batch, batch.tokens, embeddingWidth, featureWidth)
        let embedded = workspace.tensor([B, T, E])
        batch.ids.withUnsafeBufferPointer { ids in
            embeddingLookup(table: store.value("embedding.weight").pointer, rowsInTable: vocabularySize, ids: ids.baseAddress!,
                            count: ids.count, width: E, out: embedded.pointer, accumulate: false)
        }
        let pooled = workspace.tensor([B, D])
        var argmax: [Int32] = []
        var rnnSaved: RecurrentLayer.Saved?
        if let layer {
            let (hidden, saved) = layer.forward(embedded, lengths: batch.lengths, store: store, workspace: workspace, packed: packed)
            rnnSaved = saved
            argmax = [Int32](repeating: 0, count: B * D)
            batch.lengths.withUnsafeBufferPointer { lengths in
                poolingForward(.max, hidden: hidden.pointer, lengths: lengths.baseAddress!, out: pooled.pointer, argmax: &argmax,
                               batch: B, tokens: T, width: D)
            }
        } else {
            batch.lengths.withUnsafeBufferPointer { lengths in
                poolingForward(.mean, hidden: embedded.pointer, lengths: lengths.baseAddress!, out: pooled.pointer, argmax: nil,
                               batch: B, tokens: T, width: E)
            }
        }
        var headActivations: Tensor?
        if let M = headHidden {
            let h = workspace.tensor([B, M])
            linearForward(x: pooled.pointer, weight: store.value("head.weight").pointer, bias: store.value("head.bias").pointer,
                          y: h.pointer, rows: B, inFeatures: D, outFeatures: M)
            for i in 0..<h.count where h.pointer[i] < 0 { h.pointer[i] = 0 }  // ReLU; a NaN passes on, for the loss's check to see
            headActivations = h
        }
        let logits = workspace.tensor([B, classes])
        linearForward(x: (headActivations ?? pooled).pointer, weight: store.value("classifier.weight").pointer,
                      bias: store.value("classifier.bias").pointer, y: logits.pointer, rows: B, inFeatures: headHidden ?? D, outFeatures: classes)
        return Pass(embedded: embedded, rnnSaved: rnnSaved, pooled: pooled, argmax: argmax, logits: logits, headActivations: headActivations)
    }

    /// One optimizer step (``trainStep(store:optimizer:learningRate:step:penalty:maxGradientNorm:forward:)``):
    /// forward, softmax cross-entropy, backward, then the pinned embedding rows restored.
    @discardableResult
    public func trainStep(_ batch: TokenBatch, labels: [Int], optimizer: Optimizer, learningRate: Float,
                          labelSmoothing: Float = 0, classWeights: [Float]? = nil) throws -> Float {
        try trainStep(batch, optimizer: optimizer, learningRate: learningRate) { [classes] logits in
            softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, labelSmoothing: labelSmoothing, classWeights: classWeights)
        }
    }

    /// One optimizer step toward any objective over the logits (B, K): `loss` maps them to the loss and
    /// its gradient.
    @discardableResult
    public func trainStep(_ batch: TokenBatch, optimizer: Optimizer, learningRate: Float, loss batchLoss: BatchLoss) throws -> Float {
        packed = nil  // the weights are about to change
        let loss = try TextTransferTraining.trainStep(store: store, optimizer: optimizer, learningRate: learningRate, step: steps,
                                                      penalty: penalty, maxGradientNorm: maxGradientNorm) {
            workspace.reset()
            let pass = forward(batch, workspace: workspace)
            let (loss, gradient) = batchLoss(pass.logits.values)
            return (loss, { [self] in backward(batch, pass: pass, dLogits: gradient) })
        }
        restorePinnedRows()
        steps += 1
        return loss
    }

    /// Accumulates the gradients of a batch's loss, given dLoss/dLogits (B, K).
    private func backward(_ batch: TokenBatch, pass: Pass, dLogits gradient: [Float]) {
        let (B, T, D) = (batch.batch, batch.tokens, featureWidth)
        let dPooled = workspace.tensor([B, D])
        dPooled.zero()
        if let M = headHidden, let h = pass.headActivations {
            let dHead = workspace.tensor([B, M])
            dHead.zero()
            linearBackward(x: h.pointer, weight: store.value("classifier.weight").pointer, dy: gradient, dx: dHead.pointer,
                           dWeight: store.gradient("classifier.weight").pointer, dBias: store.gradient("classifier.bias").pointer,
                           rows: B, inFeatures: M, outFeatures: classes)
            for i in 0..<dHead.count where !(h.pointer[i] > 0) { dHead.pointer[i] = 0 }
            linearBackward(x: pass.pooled.pointer, weight: store.value("head.weight").pointer, dy: dHead.pointer, dx: dPooled.pointer,
                           dWeight: store.gradient("head.weight").pointer, dBias: store.gradient("head.bias").pointer,
                           rows: B, inFeatures: D, outFeatures: M)
        } else {
            linearBackward(x: pass.pooled.pointer, weight: store.value("classifier.weight").pointer, dy: gradient, dx: dPooled.pointer,
                           dWeight: store.gradient("classifier.weight").pointer, dBias: store.gradient("classifier.bias").pointer,
                           rows: B, inFeatures: D, outFeatures: classes)
        }
        var dEmbedded: Tensor?
        if let layer, let rnnSaved = pass.rnnSaved {
            let dHidden = workspace.tensor([B, T, D])
            dHidden.zero()
            batch.lengths.withUnsafeBufferPointer { lengths in
                poolingBackward(.max, dOut: dPooled.pointer, lengths: lengths.baseAddress!, argmax: pass.argmax, dHidden: dHidden.pointer,
                                batch: B, tokens: T, width: D)
            }
            dEmbedded = layer.backward(dHidden, saved: rnnSaved, store: store, workspace: workspace, inputGradient: embeddingsTrainable)
        } else if embeddingsTrainable {
            let d = workspace.tensor([B, T, embeddingWidth])
            d.zero()
            batch.lengths.withUnsafeBufferPointer { lengths in
                poolingBackward(.mean, dOut: dPooled.pointer, lengths: lengths.baseAddress!, argmax: nil, dHidden: d.pointer,
                                batch: B, tokens: T, width: embeddingWidth)
            }
            dEmbedded = d
        }
        if let dEmbedded {
            batch.ids.withUnsafeBufferPointer { ids in
                embeddingBackward(dOut: dEmbedded.pointer, ids: ids.baseAddress!, count: ids.count, width: embeddingWidth,
                                  dTable: store.gradient("embedding.weight").pointer)
            }
        }
    }

    /// Logits (B, K) for a batch.
    public func logits(_ batch: TokenBatch) -> [[Float]] {
        workspace.reset()
        return logits(batch, workspace: workspace)
    }

    /// Logits (B, K) computed in `workspace` (reset by the caller).
    public func logits(_ batch: TokenBatch, workspace: Workspace) -> [[Float]] {
        let values = forward(batch, workspace: workspace).logits.values
        return (0..<batch.batch).map { Array(values[($0 * classes)..<(($0 + 1) * classes)]) }
    }
}
