import TextTransferCore
import TextTransferEncoders

/// What the fine-tuning loop drives: a model with a parameter store, a dropout generator, a step count
/// and a training step. BertClassifier and RecurrentClassifier both are.
package protocol FineTunable: AnyObject {
    var store: ParameterStore { get }
    var generator: RandomGenerator { get set }
    var steps: Int { get set }
    var penalty: L2SPPenalty? { get set }
    func trainStep(_ batch: TokenBatch, labels: [Int], optimizer: Optimizer, learningRate: Float, labelSmoothing: Float,
                   classWeights: [Float]?, targets: [Float]?) throws -> Float
    func logits(_ batch: TokenBatch) -> [[Float]]
}

extension BertClassifier: FineTunable {}

extension RecurrentClassifier: FineTunable {
    package func trainStep(_ batch: TokenBatch, labels: [Int], optimizer: Optimizer, learningRate: Float, labelSmoothing: Float,
                   classWeights: [Float]?, targets: [Float]?) throws -> Float {
        precondition(targets == nil, "embedding encoders train single-label heads")
        return try trainStep(batch, labels: labels, optimizer: optimizer, learningRate: learningRate, labelSmoothing: labelSmoothing,
                             classWeights: classWeights)
    }
}
