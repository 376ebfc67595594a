import TextTransferCore

/// The global L2 norm of all trainable gradients, computed in Double. Throws at the first parameter
/// whose gradient is not finite, so a NaN never reaches the weights.
public func gradientNorm(_ store: ParameterStore, step: Int) throws -> Double {
    var total = 0.0
    for p in store.parameters where p.trainable {
        let squares = sumOfSquares(store.gradients.pointer + p.offset, count: p.count)
        guard squares.isFinite else { throw TrainingError.nonFiniteGradient(step: step, parameter: p.name) }
        total += squares
    }
    return total.squareRoot()
}

/// Scales all trainable gradients so that their global norm is at most `maxNorm` (PyTorch
/// `clip_grad_norm_`, scale maxNorm / (norm + 1e-6)); returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ store: ParameterStore, maxNorm: Double, step: Int) throws -> Double {
    let norm = try gradientNorm(store, step: step)
    let scale = maxNorm / (norm + 1e-6)
    guard scale < 1 else { return norm }
    for p in store.parameters where p.trainable {
        let g = store.gradients.pointer + p.offset
        for i in 0..<p.count { g[i] *= Float(scale) }
    }
    return norm
}
