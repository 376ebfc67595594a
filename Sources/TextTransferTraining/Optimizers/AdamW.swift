import Foundation
import TextTransferCore

/// Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's `AdamW`: θ ← θ·(1 − lr·λ), then
/// the Adam step with bias-corrected moments. With `decoupledWeightDecay: false` it is PyTorch's `Adam`
/// (λ·θ added to the gradient). Weight decay applies only to parameters with `weightDecay` set
/// (not biases and normalization weights, by default).
public final class AdamW: Optimizer {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var decoupledWeightDecay: Bool
    public var penalties: Penalties
    public private(set) var steps = 0
    /// The C kernel for the common case (decoupled decay, no penalties); false runs the Swift loop, its twin.
    package var vectorized = true
    private var firstMoment: TensorStorage?
    private var secondMoment: TensorStorage?

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01,
                decoupledWeightDecay: Bool = true, penalties: Penalties = Penalties()) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.penalties = penalties
    }

    /// Both moment buffers and the step count, to checkpoint a run.
    public func exportState(count: Int) -> (steps: Int, first: [Float], second: [Float]) {
        func copy(_ t: TensorStorage?) -> [Float] {
            t.map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) } ?? [Float](repeating: 0, count: count)
        }
        return (steps, copy(firstMoment), copy(secondMoment))
    }

    /// Restores what `exportState` returned.
    public func importState(steps: Int, first: [Float], second: [Float]) {
        precondition(first.count == second.count, "moment buffers of different sizes")
        self.steps = steps
        firstMoment = TensorStorage(zeroedCount: first.count)
        secondMoment = TensorStorage(zeroedCount: second.count)
        first.withUnsafeBufferPointer { firstMoment!.pointer.update(from: $0.baseAddress!, count: $0.count) }
        second.withUnsafeBufferPointer { secondMoment!.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    public func step(_ store: ParameterStore, learningRate: Float) {
        if firstMoment == nil || firstMoment!.count != store.count {
            firstMoment = TensorStorage(zeroedCount: store.count)
            secondMoment = TensorStorage(zeroedCount: store.count)
        }
        steps += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(steps)))
        let correction2Root = Float(Foundation.pow(1 - Foundation.pow(Double(beta2), Double(steps)), 0.5))
        let (m, v) = (firstMoment!.pointer, secondMoment!.pointer)
        let (values, gradients) = (store.values.pointer, store.gradients.pointer)
        for p in store.parameters where p.trainable {
            let lr = learningRate * p.learningRateScale
            let decay = p.weightDecay ? weightDecay : 0
            let penalties = p.weightDecay ? self.penalties : Penalties()
            let stepSize = lr / correction1
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            let decoupled = decoupledWeightDecay
            if decoupled && penalties == Penalties() && vectorized {
                ComputeThreads.parallelFor(p.count) { range in
                    let i = p.offset + range.lowerBound
                    adamWUpdate(values + i, gradient: gradients + i, first: m + i, second: v + i, count: range.count, lrDecay: lr * decay,
                                beta1: b1, beta2: b2, stepSize: stepSize, correction2Root: correction2Root, epsilon: eps)
                }
                continue
            }
            ComputeThreads.parallelFor(p.count) { range in
                for j in range {
                    let i = p.offset + j
                    var theta = values[i]
                    var g = penalties.gradient(gradients[i], theta)
                    if decoupled { theta *= 1 - lr * decay } else { g += decay * theta }
                    m[i] = b1 * m[i] + (1 - b1) * g
                    v[i] = b2 * v[i] + (1 - b2) * g * g
                    values[i] = theta - stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
                }
            }
        }
    }
}

/// Stochastic gradient descent with momentum (optionally Nesterov), PyTorch's `SGD` semantics:
/// v ← μ·v + g;  θ ← θ − lr·(g + μ·v) with Nesterov, else θ − lr·v. `weightDecay` is coupled (L2).
public final class SGD: Optimizer {
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    public var penalties: Penalties
    public private(set) var steps = 0
    private var velocity: TensorStorage?

    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0, penalties: Penalties = Penalties()) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.penalties = penalties
    }

    public func step(_ store: ParameterStore, learningRate: Float) {
        if velocity == nil || velocity!.count != store.count { velocity = TensorStorage(zeroedCount: store.count) }
        let first = steps == 0
        steps += 1
        let buffer = velocity!.pointer
        let (values, gradients) = (store.values.pointer, store.gradients.pointer)
        for p in store.parameters where p.trainable {
            let lr = learningRate * p.learningRateScale
            let decay = p.weightDecay ? weightDecay : 0
            let penalties = p.weightDecay ? self.penalties : Penalties()
            for i in p.offset..<(p.offset + p.count) {
                let g = penalties.gradient(gradients[i], values[i]) + decay * values[i]
                var update = g
                if momentum != 0 {
                    buffer[i] = first ? g : momentum * buffer[i] + g  // PyTorch starts the buffer at g
                    update = nesterov ? g + momentum * buffer[i] : buffer[i]
                }
                values[i] -= lr * update
            }
        }
    }
}
