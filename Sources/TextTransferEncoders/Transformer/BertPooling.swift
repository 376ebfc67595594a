import Foundation
import TextTransferCore

// Pooling over the encoder's hidden states, the BERT pooler included: the encoder owns the pooler's
// weights, so every model that pools a BERT (classifier heads, sentence embeddings) pools here.
extension BertEncoder {
    /// What `poolBackward` needs.
    public struct PoolingSaved {
        let pooling: Pooling
        let lengths: [Int32]
        let tokens: Int
        let cls: Tensor?       // (B, C) the [CLS] states, for the pooler
        let pooled: Tensor     // (B, C) the output (the pooler's after tanh)
        let argmax: [Int32]    // (B, C) max pooling's winners
    }

    /// Pools hidden states (B, T, C) of sequences with the given lengths into (B, C): mean, cls, max, or
    /// the pooler, tanh(W · h[CLS] + b), with this encoder's pooler weights.
    public func pool(_ hidden: Tensor, lengths: [Int32], pooling: Pooling, workspace: Workspace) -> (pooled: Tensor, saved: PoolingSaved) {
        let (B, T, C) = (hidden.shape[0], hidden.shape[1], hidden.shape[2])
        precondition(lengths.count == B, "\(lengths.count) lengths for a batch of \(B)")
        let first = workspace.tensor([B, C])
        var argmax = pooling == .max ? [Int32](repeating: 0, count: B * C) : []
        lengths.withUnsafeBufferPointer { lengths in
            argmax.withUnsafeMutableBufferPointer { argmax in
                poolingForward(pooling, hidden: hidden.pointer, lengths: lengths.baseAddress!, out: first.pointer, argmax: argmax.baseAddress,
                               batch: B, tokens: T, width: C)
            }
        }
        guard pooling == .pooler else {
            return (first, PoolingSaved(pooling: pooling, lengths: lengths, tokens: T, cls: nil, pooled: first, argmax: argmax))
        }
        guard let pooler = weights.pooler else { preconditionFailure("this checkpoint has no pooler weights") }
        let pooled = workspace.tensor([B, C])
        linear(pooler, first, pooled, B)
        for i in 0..<(B * C) { pooled.pointer[i] = Float(tanh(Double(pooled.pointer[i]))) }
        return (pooled, PoolingSaved(pooling: pooling, lengths: lengths, tokens: T, cls: first, pooled: pooled, argmax: argmax))
    }

    /// Backward of `pool`: from dL/d(pooled) (B, C), accumulates the pooler's gradients into `gradients`
    /// and returns dL/d(hidden states) (B, T, C).
    public func poolBackward(_ dPooled: Tensor, saved: PoolingSaved, gradients: BertWeights, workspace: Workspace) -> Tensor {
        let (B, T, C) = (saved.lengths.count, saved.tokens, architecture.width)
        var dFirst = dPooled
        if saved.pooling == .pooler, let cls = saved.cls, let pooler = weights.pooler, let dPooler = gradients.pooler {
            // pooled = tanh(z): dz = dpooled · (1 − pooled²)
            let dz = workspace.tensor([B, C])
            for i in 0..<(B * C) { dz.pointer[i] = dPooled.pointer[i] * (1 - saved.pooled.pointer[i] * saved.pooled.pointer[i]) }
            dFirst = workspace.tensor([B, C])
            dFirst.zero()
            linearBackward(x: cls.pointer, weight: pooler.weight.pointer, dy: dz.pointer, dx: dFirst.pointer, dWeight: dPooler.weight.pointer,
                           dBias: dPooler.bias.pointer, rows: B, inFeatures: C, outFeatures: C)
        }
        let dHidden = workspace.tensor([B, T, C])
        dHidden.zero()
        saved.lengths.withUnsafeBufferPointer { lengths in
            saved.argmax.withUnsafeBufferPointer { argmax in
                poolingBackward(saved.pooling, dOut: dFirst.pointer, lengths: lengths.baseAddress!, argmax: argmax.baseAddress,
                                dHidden: dHidden.pointer, batch: B, tokens: T, width: C)
            }
        }
        return dHidden
    }
}
