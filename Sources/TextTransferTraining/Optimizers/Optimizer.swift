import TextTransferCore

/// Updates the trainable parameters of a store from its gradients. Frozen parameters are skipped;
/// each parameter's learning rate is the step's rate times its `learningRateScale`.
public protocol Optimizer: AnyObject {
    /// Applies one update with learning rate `learningRate` (from a schedule).
    func step(_ store: ParameterStore, learningRate: Float)
    /// Updates applied so far.
    var steps: Int { get }
}

/// Penalties added to the gradient before an update: L1 adds λ₁·sign(θ), L2 adds λ₂·θ (classic,
/// coupled weight decay). Applied to parameters with `weightDecay` set.
public struct Penalties: Sendable, Equatable {
    public var l1: Float
    public var l2: Float
    public init(l1: Float = 0, l2: Float = 0) {
        self.l1 = l1
        self.l2 = l2
    }

    @inline(__always) func gradient(_ g: Float, _ theta: Float) -> Float {
        var out = g
        if l2 != 0 { out += l2 * theta }
        if l1 != 0 { out += l1 * (theta > 0 ? 1 : theta < 0 ? -1 : 0) }
        return out
    }
}
