import TextTransferCore

/// What a batch trains toward: the loss of its logits (B · outputs, row-major) and the gradient
/// dLoss/dlogits. The head's own loss is one; distillation's mix of soft and hard targets another.
public typealias BatchLoss = (_ logits: [Float]) -> (loss: Float, gradient: [Float])

/// The one training step that every model and objective takes, so that the guard, the penalty and the
/// clipping are written once: zero the gradients → the model's forward pass and loss → the non-finite
/// guard → the model's backward pass → the regularizing penalty → clipping (or the guard on the gradient
/// alone) → the optimizer's update. Returns the loss, the penalty included.
///
/// `forward` computes the loss of a batch and returns it with the backward pass that accumulates its
/// gradients into `store`; the backward pass runs only for a finite loss.
public func trainStep(store: ParameterStore, optimizer: Optimizer, learningRate: Float, step: Int,
                      penalty: L2SPPenalty? = nil, maxGradientNorm: Double? = nil,
                      forward: () throws -> (loss: Float, backward: () throws -> Void)) throws -> Float {
    store.zeroGradients()
    let (batchLoss, backward) = try forward()
    guard batchLoss.isFinite else { throw TrainingError.nonFiniteLoss(step: step, value: batchLoss) }
    try backward()
    var loss = batchLoss
    if let penalty { loss += penalty.addGradient(to: store) }
    if let maxGradientNorm {
        _ = try clipGradientNorm(store, maxNorm: maxGradientNorm, step: step)
    } else {
        _ = try gradientNorm(store, step: step)  // the guard alone
    }
    optimizer.step(store, learningRate: learningRate)
    return loss
}
