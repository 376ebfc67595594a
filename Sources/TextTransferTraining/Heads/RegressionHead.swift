import Foundation

/// One number: a single linear output trained with mean squared error on numeric labels; reported by
/// MSE, Pearson and Spearman (Pearson selects the weights).
package enum RegressionHead: HeadKind {
    package static func labels(given: [String]?, training: [LabeledExample], separator: String, task: String?, source: String) throws -> [String] {
        ["value"]
    }

    package static func trainingTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (classes: [Int], rows: [[Float]]) {
        (examples.map { _ in 0 }, try examples.map { [try numericTarget($0, source: source)] })
    }

    package static func devTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (multiHot: [[Bool]], values: [Double]) {
        ([], try examples.map { Double(try numericTarget($0, source: source)) })
    }

    package static func loss(logits: [Float], labels: [Int], targets: [Float]?, classes: Int, labelSmoothing: Float,
                             classWeights: [Float]?) -> (loss: Float, gradient: [Float]) {
        guard let targets else { preconditionFailure("a regression head trains on numeric targets") }
        return meanSquaredError(predictions: logits, targets: targets)
    }

    /// The predicted value itself.
    package static func probabilities(_ logits: ArraySlice<Float>, classes: Int) -> [Float] { Array(logits) }

    package static func predictedClass(_ logits: ArraySlice<Float>) -> Int { 0 }

    package static func decode(_ probabilities: [Float], logits: ArraySlice<Float>, labels: [String], thresholds: [Float]?,
                               separator: String) -> (label: String, tags: [String]) {
        (String(format: "%.4f", probabilities[0]), [])
    }

    package static func evaluate(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String) {
        let r = RegressionReport(predictions: logits.map { Double($0[0]) }, targets: dev.values)
        return (TaskEvaluation(task: task, regression: r, accuracy: 0, macroF1: 0, score: r.pearson),
                String(format: "dev MSE %.4f, Pearson %.4f, Spearman %.4f", r.mse, r.pearson, r.spearman))
    }
}
