import Foundation
import TextTransferCore

/// A batch of right-padded token ids for the encoder: ids and token types (B, T) and each sequence's
/// length (its first `lengths[b]` tokens are real, the rest padding).
public struct TokenBatch: Sendable {
    public let ids: [Int32]
    public let typeIDs: [Int32]
    public let lengths: [Int32]
    public let batch: Int
    public let tokens: Int

    public init(ids: [Int32], typeIDs: [Int32], lengths: [Int32], tokens: Int) {
        precondition(tokens > 0 && ids.count % tokens == 0 && ids.count == typeIDs.count,
                     "ids (\(ids.count)) and type ids (\(typeIDs.count)) must both be batch × \(tokens)")
        precondition(lengths.count == ids.count / tokens && lengths.allSatisfy { $0 >= 1 && $0 <= tokens },
                     "each of the \(ids.count / tokens) lengths must be in 1...\(tokens)")
        self.ids = ids
        self.typeIDs = typeIDs
        self.lengths = lengths
        self.batch = ids.count / tokens
        self.tokens = tokens
    }

    /// The 0/1 attention mask (B, T) the lengths describe.
    public var mask: [Int32] {
        (0..<(batch * tokens)).map { Int32($0 % tokens) < lengths[$0 / tokens] ? 1 : 0 }
    }
}

/// BERT encoder inference (transformers `BertModel`, post-LayerNorm blocks, exact GELU).
///
/// Immutable and `Sendable`: one instance serves every thread; each call brings its own `Workspace`.
public struct BertEncoder {
    public let architecture: BertArchitecture
    public private(set) var weights: BertWeights
    /// What the blocks' Linear layers compute in.
    public private(set) var precision: Precision = .fp32

    public init(architecture: BertArchitecture, weights: BertWeights) {
        self.architecture = architecture
        self.weights = weights
    }

    /// This encoder for inference in `precision`: the six Linear layers of each block packed once (bf16,
    /// int8, or fp32 for our AVX-512 kernel); the fp32 weights stay for everything else. Packed weights are
    /// a copy: training the original's weights afterwards does not change them.
    public func converted(to precision: Precision) -> BertEncoder {
        var copy = self
        copy.precision = precision
        if precision != .fp32 || PackedLinear.runsFloat32Inference {
            copy.weights.layers = weights.layers.map { $0.packed(precision) }
        }
        return copy
    }

    /// The activation shapes one forward pass takes from its workspace.
    public func activationShapes(batch B: Int, tokens T: Int) -> [[Int]] {
        let (C, F) = (architecture.width, architecture.feedForwardWidth)
        return [[B, T, C], [B, T, C], [B, T, C], [B, T, C], [B, T, C], [B, T, C], [B, T, F], [ComputeThreads.count, attentionScratchElements(tokens: T, headSize: architecture.headSize)]]
    }

    /// The last hidden states (B, T, C), allocated from `workspace`. The padding is squeezed out first, so
    /// every layer works on the real tokens alone, and its rows of the result are zero; `computesPadding`
    /// runs them like any token instead (what a benchmark at a fixed padded length measures).
    public func forward(_ input: TokenBatch, workspace: Workspace, computesPadding: Bool = false) -> Tensor {
        let a = architecture
        let (B, T, C, F) = (input.batch, input.tokens, a.width, a.feedForwardWidth)
        precondition(T <= a.maxPositions, "\(T) tokens exceed the model's \(a.maxPositions) positions")
        let shapes = activationShapes(batch: B, tokens: T)
        let x = workspace.tensor(shapes[0])
        let q = workspace.tensor(shapes[1]), k = workspace.tensor(shapes[2]), v = workspace.tensor(shapes[3])
        let context = workspace.tensor(shapes[4])
        let y = workspace.tensor(shapes[5])
        let inner = workspace.tensor(shapes[6])
        let scratch = workspace.tensor(shapes[7])
        assert(inner.shape == [B, T, F])

        embedSum(input, into: x)
        let unpadded = !computesPadding && input.lengths.contains { $0 < T } ? UnpaddedRows(lengths: input.lengths, paddedTokens: T) : nil
        unpadded?.squeeze(x.pointer, width: C)
        let rows = unpadded?.rows ?? B * T
        layerNormForward(x: x.pointer, gamma: weights.embeddingNorm.gamma.pointer, beta: weights.embeddingNorm.beta.pointer,
                         y: x.pointer, rows: rows, width: C, epsilon: a.layerNormEpsilon)
        for layer in weights.layers {
            linear(layer.query, x, q, rows)
            linear(layer.key, x, k, rows)
            linear(layer.value, x, v, rows)
            if let unpadded {
                unpadded.starts.withUnsafeBufferPointer { starts in
                    unpadded.lengths.withUnsafeBufferPointer { lengths in
                        unpaddedAttentionForward(q: q.pointer, k: k.pointer, v: v.pointer, out: context.pointer, starts: starts.baseAddress!,
                                                 lengths: lengths.baseAddress!, sequences: B, longest: T, heads: a.heads,
                                                 headSize: a.headSize, scratch: scratch.pointer)
                    }
                }
            } else {
                input.lengths.withUnsafeBufferPointer { lengths in
                    attentionForward(q: q.pointer, k: k.pointer, v: v.pointer, out: context.pointer, lengths: lengths.baseAddress!,
                                     batch: B, tokens: T, heads: a.heads, headSize: a.headSize, scratch: scratch.pointer)
                }
            }
            // y = LayerNorm(context · Woᵀ + bo + x)
            linear(layer.attentionOutput, context, y, rows)
            addResidualAndNormalize(y, residual: x, layer.attentionNorm, rows)
            // x = LayerNorm(GELU(y · Wiᵀ + bi) · Wᵀ + b + y)
            linear(layer.intermediate, y, inner, rows)
            geluForward(x: inner.pointer, y: inner.pointer, count: rows * F)
            linear(layer.output, inner, x, rows)
            addResidualAndNormalize(x, residual: y, layer.outputNorm, rows)
        }
        unpadded?.unsqueeze(x.pointer, width: C)
        return x
    }

    func linear(_ w: LinearWeights, _ x: Tensor, _ y: Tensor, _ rows: Int) {
        if let packed = w.packed {
            packed.forward(x: x.pointer, y: y.pointer, rows: rows)
            return
        }
        linearForward(x: x.pointer, weight: w.weight.pointer, bias: w.bias.pointer, y: y.pointer,
                      rows: rows, inFeatures: w.inFeatures, outFeatures: w.outFeatures)
    }

    private func addResidualAndNormalize(_ y: Tensor, residual: Tensor, _ norm: LayerNormWeights, _ rows: Int) {
        let yp = y.pointer
        addInPlace(yp, residual.pointer, count: rows * architecture.width)
        layerNormForward(x: yp, gamma: norm.gamma.pointer, beta: norm.beta.pointer, y: yp, rows: rows,
                         width: architecture.width, epsilon: architecture.layerNormEpsilon)
    }
}
