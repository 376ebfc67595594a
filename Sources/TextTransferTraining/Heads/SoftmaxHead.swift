import Foundation

/// K logits, one per class: softmax and cross-entropy (the only loss with label smoothing and class
/// weights); the prediction is the most probable class.
package enum SoftmaxHead: HeadKind {
    package static var weighsClasses: Bool { true }

    package static func loss(logits: [Float], labels: [Int], targets: [Float]?, classes: Int, labelSmoothing: Float,
                             classWeights: [Float]?) -> (loss: Float, gradient: [Float]) {
        softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, labelSmoothing: labelSmoothing, classWeights: classWeights)
    }

    package static func probabilities(_ logits: ArraySlice<Float>, classes: Int) -> [Float] {
        let top = logits.max()!
        let e = logits.map { Foundation.exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    package static func evaluate(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String) {
        classReport(logits: logits, dev: dev, labels: labels, task: task)
    }
}
