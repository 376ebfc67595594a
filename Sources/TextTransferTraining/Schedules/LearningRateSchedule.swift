import Foundation

/// A learning rate as a function of the optimizer step (counted from 0, as PyTorch's LambdaLR does).
public struct LearningRateSchedule: Sendable {
    public let rate: @Sendable (_ step: Int) -> Float

    public init(_ rate: @escaping @Sendable (Int) -> Float) { self.rate = rate }

    public func callAsFunction(_ step: Int) -> Float { rate(step) }

    public static func constant(_ lr: Float) -> Self { Self { _ in lr } }

    /// lr/√k after a linear warm-up of `warmup` steps (the Transformer's "inverse square root").
    public static func inverseSquareRoot(_ lr: Float, warmup: Int = 0) -> Self {
        Self { step in
            let k = Float(step + 1)
            if step < warmup { return lr * k / Float(warmup) }
            return lr * (Float(max(warmup, 1)) / k).squareRoot()
        }
    }

    /// lr · factor^⌊step / every⌋.
    public static func stepDecay(_ lr: Float, every: Int, factor: Float) -> Self {
        precondition(every > 0, "step decay needs a period > 0")
        return Self { step in lr * Float(Foundation.pow(Double(factor), Double(step / every))) }
    }

    /// Linear warm-up from 0 over `warmup` steps, then linear decay to 0 at `total`
    /// (transformers' `get_linear_schedule_with_warmup`).
    public static func linearWarmupThenDecay(_ lr: Float, warmup: Int, total: Int) -> Self {
        Self { step in
            if step < warmup { return lr * Float(step) / Float(max(1, warmup)) }
            return lr * max(0, Float(total - step) / Float(max(1, total - warmup)))
        }
    }

    /// Linear warm-up, then half a cosine down to 0 at `total` (transformers' `get_cosine_schedule_with_warmup`).
    public static func warmupCosine(_ lr: Float, warmup: Int, total: Int) -> Self {
        Self { step in
            if step < warmup { return lr * Float(step) / Float(max(1, warmup)) }
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            return lr * Float(max(0, 0.5 * (1 + Foundation.cos(Double.pi * progress))))
        }
    }

    /// ULMFiT's slanted triangular rate (Howard & Ruder 2018): a short linear rise over `cutFraction` of
    /// training, then a long linear fall; the lowest rate is lr/`ratio`.
    public static func slantedTriangular(_ lr: Float, total: Int, cutFraction: Float = 0.1, ratio: Float = 32) -> Self {
        let cut = max(1, Int((Float(total) * cutFraction).rounded(.down)))
        return Self { step in
            let p = step < cut ? Float(step) / Float(cut)
                : 1 - Float(step - cut) / (Float(cut) * (1 / cutFraction - 1))
            return lr * (1 + p * (ratio - 1)) / ratio
        }
    }
}
