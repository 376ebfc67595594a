import Foundation
/// Training stopped: a loss or gradient stopped being finite, named by step and parameter.
public enum TrainingError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    case nonFiniteLoss(step: Int, value: Float)
    case nonFiniteGradient(step: Int, parameter: String)
    /// A masked-LM batch in which no token was chosen for prediction.
    case nothingToPredict(step: Int)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, value): "step \(step): the loss is \(value)"
        case let .nonFiniteGradient(step, parameter): "step \(step): the gradient of \(parameter) is not finite"
        case let .nothingToPredict(step): "step \(step): the batch has no token to predict"
        }
    }
}
