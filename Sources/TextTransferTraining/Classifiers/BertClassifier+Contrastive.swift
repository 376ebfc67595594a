import TextTransferCore
import TextTransferEncoders

extension BertClassifier {
    /// One optimizer step of SetFit's body training. `batch` holds the distinct texts of the step's pairs
    /// (each runs through the encoder once, with dropout, however many pairs name it); `pairs` index its
    /// rows with their target similarity (1 or 0). The pooled embeddings' cosine similarities are pulled
    /// toward the targets (`cosineSimilarityLoss`) and the gradient flows back through the pooling and
    /// every trainable block. The heads take no part. Returns the loss, the L2-SP penalty included.
    @discardableResult
    public func contrastiveStep(_ batch: TokenBatch, pairs: [(first: Int, second: Int, target: Float)], optimizer: Optimizer,
                                learningRate: Float) throws -> Float {
        let value = try TextTransferTraining.trainStep(store: store, optimizer: optimizer, learningRate: learningRate, step: steps,
                                                       penalty: penalty, maxGradientNorm: maxGradientNorm) { [self] in
            workspace.reset()
            let activations = bert.encoder.trainingForward(batch, workspace: workspace, hiddenDropout: hiddenDropout,
                                                           attentionDropout: attentionDropout, generator: &generator)
            let (pooled, saved) = bert.encoder.pool(activations.output, lengths: batch.lengths, pooling: pooling, workspace: workspace)
            let (loss, gradient) = cosineSimilarityLoss(embeddings: pooled.values, width: pooled.shape[1], pairs: pairs)
            return (loss, { [self] in
                let dPooled = workspace.tensor(pooled.shape)
                gradient.withUnsafeBufferPointer { dPooled.pointer.update(from: $0.baseAddress!, count: gradient.count) }
                let dHidden = bert.encoder.poolBackward(dPooled, saved: saved, gradients: bert.gradients, workspace: workspace)
                bert.encoder.backward(dHidden, activations: activations, gradients: bert.gradients, workspace: workspace,
                                      layersToTrain: trainableLayers)
            })
        }
        steps += 1
        return value
    }
}
