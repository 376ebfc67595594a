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
    func trainStep(_ batch: TokenBatch, task: Int, labels: [Int], optimizer: Optimizer, learningRate: Float, labelSmoothing: Float,
                   classWeights: [Float]?, targets: [Float]?) throws -> Float
    func logits(_ batch: TokenBatch, task: Int) -> [[Float]]
}

extension BertClassifier: FineTunable {}

extension RecurrentClassifier: FineTunable {
    package func trainStep(_ batch: TokenBatch, task: Int, labels: [Int], optimizer: Optimizer, learningRate: Float, labelSmoothing: Float,
                           classWeights: [Float]?, targets: [Float]?) throws -> Float {
        precondition(task == 0 && targets == nil, "embedding encoders train one single-label head")
        return try trainStep(batch, labels: labels, optimizer: optimizer, learningRate: learningRate, labelSmoothing: labelSmoothing,
                             classWeights: classWeights)
    }

    package func logits(_ batch: TokenBatch, task: Int) -> [[Float]] {
        precondition(task == 0, "embedding encoders have one head")
        return logits(batch)
    }
}
