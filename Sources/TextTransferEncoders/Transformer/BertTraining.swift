import TextTransferCore

/// What one encoder block's forward pass keeps for its backward pass. All (B, T, C) unless noted.
public struct BertLayerActivations {
    let input, q, k, v, context: Tensor
    let probabilities: Tensor                     // (B, H, T, T), before attention dropout
    let attentionDropout: Tensor?                 // (B, H, T, T) scales
    let attentionSum: Tensor                      // dropout(context · Woᵀ + bo) + input, before LayerNorm
    let attentionMean, attentionStd: Tensor       // (B·T)
    let attentionDropoutOut: Tensor?              // scales on the attention output
    let normalized: Tensor                        // LayerNorm(attentionSum): the feed-forward input
    let preActivation, activation: Tensor         // (B, T, F): before and after GELU
    let outputSum: Tensor                         // dropout(FFN) + normalized, before LayerNorm
    let outputMean, outputStd: Tensor
    let outputDropout: Tensor?
    let output: Tensor
}

/// Everything a training forward pass keeps, and its result.
public struct BertActivations {
    public let input: TokenBatch
    let embeddingSum, embeddingMean, embeddingStd: Tensor
    let embeddingDropout: Tensor?
    let layers: [BertLayerActivations]
    /// The last hidden states (B, T, C).
    public var output: Tensor { layers.last?.output ?? embeddingOutput }
    let embeddingOutput: Tensor
}

extension BertEncoder {
    /// Checkpoint keys and shapes of every parameter, in the order `BertWeights` reads them.
    public static func parameterShapes(_ architecture: BertArchitecture, hasPooler: Bool) -> [(name: String, shape: [Int])] {
        var shapes: [(name: String, shape: [Int])] = []
        let placeholder = Tensor(zeros: [0])
        _ = try? BertWeights(architecture, lookup: { key, shape in
            shapes.append((key, shape))
            return placeholder
        }, hasPooler: hasPooler)
        return shapes
    }

    /// The forward pass of training: the same arithmetic as `forward`, plus dropout (inverted, seeded
    /// from `generator` in a fixed order) and everything backward needs, all from `workspace`.
    public func trainingForward(_ input: TokenBatch, workspace: Workspace, hiddenDropout: Float, attentionDropout: Float,
                                generator: inout RandomGenerator) -> BertActivations {
        let a = architecture
        let (B, T, C, F, H) = (input.batch, input.tokens, a.width, a.feedForwardWidth, a.heads)
        precondition(T <= a.maxPositions, "\(T) tokens exceed the model's \(a.maxPositions) positions")
        let rows = B * T
        func mask(_ shape: [Int], _ p: Float) -> Tensor? {
            guard p > 0 else { return nil }
            let m = workspace.tensor(shape)
            dropoutMask(m.pointer, count: m.count, probability: p, generator: &generator)
            return m
        }
        func dropout(_ x: Tensor, _ m: Tensor?) { if let m { applyMask(x.pointer, m.pointer, x.pointer, count: x.count) } }
        func normalize(_ x: Tensor, _ norm: LayerNormWeights, into y: Tensor) -> (Tensor, Tensor) {
            let mean = workspace.tensor([rows]), std = workspace.tensor([rows])
            layerNormForward(x: x.pointer, gamma: norm.gamma.pointer, beta: norm.beta.pointer, y: y.pointer, rows: rows,
                             width: C, epsilon: a.layerNormEpsilon, mean: mean.pointer, reciprocalStd: std.pointer)
            return (mean, std)
        }

        let embeddingSum = workspace.tensor([B, T, C])
        embedSum(input, into: embeddingSum)
        let embedded = workspace.tensor([B, T, C])
        let (embeddingMean, embeddingStd) = normalize(embeddingSum, weights.embeddingNorm, into: embedded)
        let embeddingDropout = mask([B, T, C], hiddenDropout)
        dropout(embedded, embeddingDropout)

        let scratch = workspace.tensor([ComputeThreads.count, attentionScratchElements(tokens: T, headSize: a.headSize)])
        var x = embedded
        var layers: [BertLayerActivations] = []
        for layer in weights.layers {
            let q = workspace.tensor([B, T, C]), k = workspace.tensor([B, T, C]), v = workspace.tensor([B, T, C])
            linear(layer.query, x, q, rows)
            linear(layer.key, x, k, rows)
            linear(layer.value, x, v, rows)
            let probabilities = workspace.tensor([B, H, T, T])
            let attentionMask = mask([B, H, T, T], attentionDropout)
            let context = workspace.tensor([B, T, C])
            input.lengths.withUnsafeBufferPointer { lengths in
                attentionForward(q: q.pointer, k: k.pointer, v: v.pointer, out: context.pointer, lengths: lengths.baseAddress!,
                                 batch: B, tokens: T, heads: H, headSize: a.headSize, scratch: scratch.pointer,
                                 probabilities: probabilities.pointer, dropoutMask: attentionMask.map { UnsafePointer($0.pointer) })
            }
            let attentionSum = workspace.tensor([B, T, C])
            linear(layer.attentionOutput, context, attentionSum, rows)
            let attentionOutMask = mask([B, T, C], hiddenDropout)
            dropout(attentionSum, attentionOutMask)
            addInPlace(attentionSum.pointer, x.pointer, count: rows * C)
            let normalized = workspace.tensor([B, T, C])
            let (attentionMean, attentionStd) = normalize(attentionSum, layer.attentionNorm, into: normalized)

            let preActivation = workspace.tensor([B, T, F]), activation = workspace.tensor([B, T, F])
            linear(layer.intermediate, normalized, preActivation, rows)
            geluForward(x: preActivation.pointer, y: activation.pointer, count: rows * F)
            let outputSum = workspace.tensor([B, T, C])
            linear(layer.output, activation, outputSum, rows)
            let outputMask = mask([B, T, C], hiddenDropout)
            dropout(outputSum, outputMask)
            addInPlace(outputSum.pointer, normalized.pointer, count: rows * C)
            let output = workspace.tensor([B, T, C])
            let (outputMean, outputStd) = normalize(outputSum, layer.outputNorm, into: output)
            layers.append(BertLayerActivations(
                input: x, q: q, k: k, v: v, context: context, probabilities: probabilities, attentionDropout: attentionMask,
                attentionSum: attentionSum, attentionMean: attentionMean, attentionStd: attentionStd,
                attentionDropoutOut: attentionOutMask, normalized: normalized, preActivation: preActivation,
                activation: activation, outputSum: outputSum, outputMean: outputMean, outputStd: outputStd,
                outputDropout: outputMask, output: output))
            x = output
        }
        return BertActivations(input: input, embeddingSum: embeddingSum, embeddingMean: embeddingMean, embeddingStd: embeddingStd,
                               embeddingDropout: embeddingDropout, layers: layers, embeddingOutput: embedded)
    }

    /// Backward of `trainingForward`: accumulates every parameter's gradient into `gradients` (a
    /// `BertWeights` over the gradient buffer) given dL/d(last hidden states) (B, T, C). Blocks run in
    /// reverse, each read bottom-up, residual gradients added explicitly. `layersToTrain` limits the pass
    /// to the top N blocks (nil: all, embeddings included), for frozen lower layers.
    public func backward(_ dOutput: Tensor, activations: BertActivations, gradients: BertWeights, workspace: Workspace,
                         layersToTrain: Int? = nil) {
        let a = architecture
        let input = activations.input
        let (B, T, C, F, H) = (input.batch, input.tokens, a.width, a.feedForwardWidth, a.heads)
        let rows = B * T
        let dX = workspace.tensor([B, T, C]), dH = workspace.tensor([B, T, C]), dY = workspace.tensor([B, T, C])
        let dContext = workspace.tensor([B, T, C])
        let dQ = workspace.tensor([B, T, C]), dK = workspace.tensor([B, T, C]), dV = workspace.tensor([B, T, C])
        let dInner = workspace.tensor([B, T, F]), dPre = workspace.tensor([B, T, F])
        let scratch = workspace.tensor([ComputeThreads.count, 2, T, T])
        dX.pointer.update(from: dOutput.pointer, count: rows * C)

        func normBackward(_ x: Tensor, _ mean: Tensor, _ std: Tensor, _ norm: LayerNormWeights, _ grad: LayerNormWeights,
                          dy: Tensor, dx: Tensor) {
            dx.zero()
            layerNormBackward(x: x.pointer, dy: dy.pointer, gamma: norm.gamma.pointer, mean: mean.pointer, reciprocalStd: std.pointer,
                              dx: dx.pointer, dGamma: grad.gamma.pointer, dBeta: grad.beta.pointer, rows: rows, width: C)
        }
        func linearBack(_ w: LinearWeights, _ g: LinearWeights, x: Tensor, dy: Tensor, dx: Tensor?) {
            linearBackward(x: x.pointer, weight: w.weight.pointer, dy: dy.pointer, dx: dx?.pointer, dWeight: g.weight.pointer,
                           dBias: g.bias.pointer, rows: rows, inFeatures: w.inFeatures, outFeatures: w.outFeatures)
        }
        func undoDropout(_ t: Tensor, _ m: Tensor?) { if let m { applyMask(t.pointer, m.pointer, t.pointer, count: t.count) } }

        let trained = min(layersToTrain ?? a.layers, a.layers)
        for index in stride(from: a.layers - 1, through: a.layers - trained, by: -1) {
            let (w, g, s) = (weights.layers[index], gradients.layers[index], activations.layers[index])
            // out = LN2(outputSum); outputSum = dropout(FFN(normalized)) + normalized
            normBackward(s.outputSum, s.outputMean, s.outputStd, w.outputNorm, g.outputNorm, dy: dX, dx: dH)
            dY.pointer.update(from: dH.pointer, count: rows * C)            // residual into `normalized`
            undoDropout(dH, s.outputDropout)
            dInner.zero()
            linearBack(w.output, g.output, x: s.activation, dy: dH, dx: dInner)
            dPre.zero()
            geluBackward(x: s.preActivation.pointer, dy: dInner.pointer, dx: dPre.pointer, count: rows * F)
            linearBack(w.intermediate, g.intermediate, x: s.normalized, dy: dPre, dx: dY)
            // normalized = LN1(attentionSum); attentionSum = dropout(Wo · context) + input
            normBackward(s.attentionSum, s.attentionMean, s.attentionStd, w.attentionNorm, g.attentionNorm, dy: dY, dx: dH)
            dX.pointer.update(from: dH.pointer, count: rows * C)            // residual into the block input
            undoDropout(dH, s.attentionDropoutOut)
            dContext.zero()
            linearBack(w.attentionOutput, g.attentionOutput, x: s.context, dy: dH, dx: dContext)
            dQ.zero(); dK.zero(); dV.zero()
            input.lengths.withUnsafeBufferPointer { lengths in
                attentionBackward(q: s.q.pointer, k: s.k.pointer, v: s.v.pointer, probabilities: s.probabilities.pointer,
                                  dropoutMask: s.attentionDropout.map { UnsafePointer($0.pointer) }, dOut: dContext.pointer,
                                  dq: dQ.pointer, dk: dK.pointer, dv: dV.pointer, lengths: lengths.baseAddress!,
                                  batch: B, tokens: T, heads: H, headSize: a.headSize, scratch: scratch.pointer)
            }
            let needInput = layersToTrain == nil || index > a.layers - trained  // frozen layers below need no dX
            linearBack(w.query, g.query, x: s.input, dy: dQ, dx: needInput ? dX : nil)
            linearBack(w.key, g.key, x: s.input, dy: dK, dx: needInput ? dX : nil)
            linearBack(w.value, g.value, x: s.input, dy: dV, dx: needInput ? dX : nil)
        }
        guard layersToTrain == nil else { return }  // only full training updates the embeddings
        // Embeddings: embedded = dropout(LN(word[ids] + position + type)).
        undoDropout(dX, activations.embeddingDropout)
        normBackward(activations.embeddingSum, activations.embeddingMean, activations.embeddingStd, weights.embeddingNorm,
                     gradients.embeddingNorm, dy: dX, dx: dH)
        let (word, position, type) = (gradients.wordEmbeddings.pointer, gradients.positionEmbeddings.pointer, gradients.tokenTypeEmbeddings.pointer)
        for r in 0..<rows {
            let d = dH.pointer + r * C
            let (w, p, t) = (word + Int(input.ids[r]) * C, position + (r % T) * C, type + Int(input.typeIDs[r]) * C)
            for i in 0..<C {
                w[i] += d[i]
                p[i] += d[i]
                t[i] += d[i]
            }
        }
    }

    /// Word + position + token-type embeddings, before LayerNorm: (B, T, C).
    func embedSum(_ input: TokenBatch, into x: Tensor) {
        let a = architecture
        let C = a.width
        input.ids.withUnsafeBufferPointer { ids in
            input.typeIDs.withUnsafeBufferPointer { types in
                embeddingLookup(table: weights.wordEmbeddings.pointer, rowsInTable: a.vocabularySize, ids: ids.baseAddress!,
                                count: ids.count, width: C, out: x.pointer, accumulate: false)
                embeddingLookup(table: weights.tokenTypeEmbeddings.pointer, rowsInTable: a.tokenTypes, ids: types.baseAddress!,
                                count: types.count, width: C, out: x.pointer, accumulate: true)
            }
        }
        let positions = weights.positionEmbeddings.pointer
        for b in 0..<input.batch {
            addInPlace(x.pointer + b * input.tokens * C, positions, count: input.tokens * C)
        }
    }
}
