import TextTransferCore
import TextTransferEncoders

/// What the training loop drives: a model with a parameter store, a dropout generator, a step count
/// and a training step per task. BertClassifier (one head per task) and RecurrentClassifier (one task)
/// both are.
package protocol FineTunable: AnyObject {
    var store: ParameterStore { get }
    var generator: RandomGenerator { get set }
    var steps: Int { get set }
    var penalty: L2SPPenalty? { get set }
    /// One optimizer step on a batch of task `task` toward `loss` over its logits, plus `stateLoss` over
    /// the pooled states its head reads (Transformer encoders only).
    func trainStep(_ batch: TokenBatch, task: Int, optimizer: Optimizer, learningRate: Float, loss: BatchLoss, stateLoss: BatchLoss?) throws -> Float
    func logits(_ batch: TokenBatch, task: Int) -> [[Float]]
}

extension BertClassifier: FineTunable {}

extension RecurrentClassifier: FineTunable {
    package func trainStep(_ batch: TokenBatch, task: Int, optimizer: Optimizer, learningRate: Float, loss: BatchLoss, stateLoss: BatchLoss?) throws -> Float {
        precondition(task == 0, "embedding encoders train one head")
        precondition(stateLoss == nil, "hidden-state matching is for Transformer encoders")
        return try trainStep(batch, optimizer: optimizer, learningRate: learningRate, loss: loss)
    }

    package func logits(_ batch: TokenBatch, task: Int) -> [[Float]] {
        precondition(task == 0, "embedding encoders have one head")
        return logits(batch)
    }
}
