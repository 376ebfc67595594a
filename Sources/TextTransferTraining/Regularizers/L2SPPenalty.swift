import TextTransferCore

/// L2-SP (Li, Grandvalet & Davoine, ICML 2018): fine-tuning is pulled back toward the pretrained starting
/// point θ₀ instead of toward zero. The loss gains α/2·‖θ − θ₀‖² over the anchored (pretrained) parameters;
/// a new head is not anchored (weight decay keeps regularizing it, as the paper's β term does).
///
/// The anchor is a copy of the anchored values when the penalty is made, so make it before training.
public final class L2SPPenalty {
    /// α, the weight of the penalty.
    public let strength: Float
    /// Names of the anchored parameters, in store order.
    public let anchoredNames: [String]
    /// θ₀ of each anchored parameter, concatenated in `anchoredNames` order.
    private let anchor: [Float]

    /// Anchors every parameter of `store` whose name `isAnchored` accepts at its current value.
    public init(store: ParameterStore, strength: Float, anchoring isAnchored: (String) -> Bool) {
        precondition(strength >= 0 && strength.isFinite, "L2-SP strength must be finite and ≥ 0, got \(strength)")
        self.strength = strength
        let anchored = store.parameters.filter { isAnchored($0.name) }
        anchoredNames = anchored.map(\.name)
        var anchor: [Float] = []
        anchor.reserveCapacity(anchored.reduce(0) { $0 + $1.count })
        for p in anchored { anchor.append(contentsOf: UnsafeBufferPointer(start: store.values.pointer + p.offset, count: p.count)) }
        self.anchor = anchor
    }

    /// Adds α·(θ − θ₀) to the gradient of each trainable anchored parameter and returns α/2·‖θ − θ₀‖² over
    /// them. Frozen parameters are skipped: their gradients are never zeroed, and they sit at θ₀ anyway
    /// unless they trained earlier in the run.
    @discardableResult
    public func addGradient(to store: ParameterStore) -> Float {
        var sum = 0.0
        var start = 0
        anchor.withUnsafeBufferPointer { anchor in
            for name in anchoredNames {
                guard let p = store.parameter(name) else { preconditionFailure("L2-SP anchors \(name), which the store lacks") }
                defer { start += p.count }
                guard p.trainable else { continue }
                let theta = store.values.pointer + p.offset, gradient = store.gradients.pointer + p.offset
                var partial: Float = 0
                for i in 0..<p.count {
                    let d = theta[i] - anchor[start + i]
                    gradient[i] += strength * d
                    partial += d * d
                }
                sum += Double(partial)
            }
        }
        return Float(0.5 * Double(strength) * sum)
    }
}
