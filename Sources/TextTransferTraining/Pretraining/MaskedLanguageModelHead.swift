import Foundation
import TextTransferCore

/// BERT's masked-LM head, as transformers' `BertOnlyMLMHead`: a transform (dense C → C, GELU, LayerNorm)
/// and a decoder whose weights are the word embeddings (tied) plus a bias of its own. Its parameters live
/// in the encoder's store under transformers' names, `cls.predictions.*`.
public struct MaskedLanguageModelHead {
    public static let denseWeight = "cls.predictions.transform.dense.weight"
    public static let denseBias = "cls.predictions.transform.dense.bias"
    public static let normWeight = "cls.predictions.transform.LayerNorm.weight"
    public static let normBias = "cls.predictions.transform.LayerNorm.bias"
    public static let outputBias = "cls.predictions.bias"
    /// The tied decoder: the encoder's word embeddings (vocabulary, C).
    public static let decoderWeight = "embeddings.word_embeddings.weight"

    public let width: Int
    public let vocabularySize: Int
    public let epsilon: Float

    public init(width: Int, vocabularySize: Int, epsilon: Float) {
        (self.width, self.vocabularySize, self.epsilon) = (width, vocabularySize, epsilon)
    }

    /// The head's own parameters (the decoder weight is the embeddings').
    public static func parameterShapes(width: Int, vocabularySize: Int) -> [(name: String, shape: [Int])] {
        [(denseWeight, [width, width]), (denseBias, [width]), (normWeight, [width]), (normBias, [width]), (outputBias, [vocabularySize])]
    }

    /// BERT's initialization (transformers' `_init_weights`): dense weights N(0, 0.02), biases 0, LayerNorm 1 and 0.
    public static func initialize(_ store: ParameterStore, generator: inout RandomGenerator) {
        let w = store.value(denseWeight)
        for i in 0..<w.count { w.pointer[i] = generator.nextNormal(std: 0.02) }
        store.value(denseBias).zero()
        store.value(normWeight).pointer.update(repeating: 1, count: store.value(normWeight).count)
        store.value(normBias).zero()
        store.value(outputBias).zero()
    }

    /// The mean cross-entropy of predicting `labels` (one per token of `hidden`, (B, T, C); −1 for a token
    /// not predicted) from the hidden states, and the backward pass that accumulates the head's and the
    /// decoder's gradients into `store` and returns dLoss/dhidden (B, T, C). Only the predicted rows run
    /// through the head. Nil when no token is predicted.
    public func loss(hidden: Tensor, labels: [Int32], store: ParameterStore, workspace: Workspace)
        -> (loss: Double, backward: () -> Tensor)? {
        let C = width, V = vocabularySize
        precondition(hidden.count == labels.count * C, "one label per token")
        let rows = labels.indices.filter { labels[$0] >= 0 }
        guard !rows.isEmpty else { return nil }
        let M = rows.count
        let x = workspace.tensor([M, C])
        for (r, token) in rows.enumerated() { (x.pointer + r * C).update(from: hidden.pointer + token * C, count: C) }
        let dense = workspace.tensor([M, C]), activated = workspace.tensor([M, C]), normed = workspace.tensor([M, C])
        let mean = workspace.tensor([M]), reciprocalStd = workspace.tensor([M])
        linearForward(x: x.pointer, weight: store.value(Self.denseWeight).pointer, bias: store.value(Self.denseBias).pointer,
                      y: dense.pointer, rows: M, inFeatures: C, outFeatures: C)
        geluForward(x: dense.pointer, y: activated.pointer, count: M * C)
        layerNormForward(x: activated.pointer, gamma: store.value(Self.normWeight).pointer, beta: store.value(Self.normBias).pointer,
                         y: normed.pointer, rows: M, width: C, epsilon: epsilon, mean: mean.pointer, reciprocalStd: reciprocalStd.pointer)
        let logits = workspace.tensor([M, V])
        linearForward(x: normed.pointer, weight: store.value(Self.decoderWeight).pointer, bias: store.value(Self.outputBias).pointer,
                      y: logits.pointer, rows: M, inFeatures: C, outFeatures: V)
        // Softmax in place: the logits become dLoss/dlogits = (p − onehot) / M.
        var losses = [Double](repeating: 0, count: M)
        losses.withUnsafeMutableBufferPointer { losses in
            ComputeThreads.parallelFor(M) { range in
                for r in range {
                    let row = logits.pointer + r * V
                    let label = Int(labels[rows[r]])
                    var top = -Float.infinity
                    for j in 0..<V { top = max(top, row[j]) }
                    let margin = Double(row[label] - top)  // before exp: a tiny probability stays exact in the log
                    var sum = 0.0
                    for j in 0..<V {
                        let e = Foundation.exp(row[j] - top)
                        row[j] = e
                        sum += Double(e)
                    }
                    losses[r] = Foundation.log(sum) - margin
                    let scale = Float(1 / (sum * Double(M)))
                    for j in 0..<V { row[j] *= scale }
                    row[label] -= 1 / Float(M)
                }
            }
        }
        let loss = losses.reduce(0, +) / Double(M)
        return (loss, { [self] in
            let dNormed = workspace.tensor([M, C]), dActivated = workspace.tensor([M, C])
            let dDense = workspace.tensor([M, C]), dx = workspace.tensor([M, C])
            for t in [dNormed, dActivated, dDense, dx] { t.zero() }
            linearBackward(x: normed.pointer, weight: store.value(Self.decoderWeight).pointer, dy: logits.pointer, dx: dNormed.pointer,
                           dWeight: store.gradient(Self.decoderWeight).pointer, dBias: store.gradient(Self.outputBias).pointer,
                           rows: M, inFeatures: C, outFeatures: V)
            layerNormBackward(x: activated.pointer, dy: dNormed.pointer, gamma: store.value(Self.normWeight).pointer,
                              mean: mean.pointer, reciprocalStd: reciprocalStd.pointer, dx: dActivated.pointer,
                              dGamma: store.gradient(Self.normWeight).pointer, dBeta: store.gradient(Self.normBias).pointer, rows: M, width: C)
            geluBackward(x: dense.pointer, dy: dActivated.pointer, dx: dDense.pointer, count: M * C)
            linearBackward(x: x.pointer, weight: store.value(Self.denseWeight).pointer, dy: dDense.pointer, dx: dx.pointer,
                           dWeight: store.gradient(Self.denseWeight).pointer, dBias: store.gradient(Self.denseBias).pointer,
                           rows: M, inFeatures: C, outFeatures: C)
            let dHidden = workspace.tensor(hidden.shape)
            dHidden.zero()
            for (r, token) in rows.enumerated() { (dHidden.pointer + token * C).update(from: dx.pointer + r * C, count: C) }
            return dHidden
        })
    }
}
