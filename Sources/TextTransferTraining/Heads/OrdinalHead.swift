import Foundation
import TextTransferCore

/// Ordered classes, CORAL-style (Cao et al. 2020): one shared score s = w·h and K−1 thresholds,
/// logit_k = s + b_k estimates P(y > k); binary cross-entropy on [y > k]; the prediction counts the logits
/// above 0, so ranks stay consistent. The labels must be given in order.
package enum OrdinalHead: HeadKind {
    package static var minimumClasses: Int { 2 }
    package static func outputs(classes: Int) -> Int { classes - 1 }

    /// One score row (1, C) and the K−1 thresholds as the bias.
    package static func parameterShapes(classes: Int, width: Int, prefix: String) -> [(name: String, shape: [Int])] {
        [(prefix + ".weight", [1, width]), (prefix + ".bias", [classes - 1])]
    }

    package static func logits(_ x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore, rows: Int,
                               into logits: UnsafeMutablePointer<Float>) {
        let outputs = head.outputs
        var score = [Float](repeating: 0, count: rows)  // (B, 1)
        linearForward(x: x, weight: store.value(head.weightName).pointer, bias: nil, y: &score, rows: rows, inFeatures: head.width, outFeatures: 1)
        let thresholds = store.value(head.biasName).pointer
        for b in 0..<rows { for k in 0..<outputs { logits[b * outputs + k] = score[b] + thresholds[k] } }
    }

    /// logit_k = s + b_k: ds = Σ_k dlogit_k, db_k = Σ_b dlogit_k.
    package static func backward(_ dLogits: UnsafePointer<Float>, x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore,
                                 rows: Int, dx: UnsafeMutablePointer<Float>) {
        let outputs = head.outputs
        var dScore = [Float](repeating: 0, count: rows)
        let dThresholds = store.gradient(head.biasName).pointer
        for b in 0..<rows {
            var sum: Float = 0
            for k in 0..<outputs {
                sum += dLogits[b * outputs + k]
                dThresholds[k] += dLogits[b * outputs + k]
            }
            dScore[b] = sum
        }
        linearBackward(x: x, weight: store.value(head.weightName).pointer, dy: dScore, dx: dx, dWeight: store.gradient(head.weightName).pointer,
                       dBias: nil, rows: rows, inFeatures: head.width, outFeatures: 1)
    }

    /// Thresholds at the training prior: b_k = logit(P(y > k)) from the label counts, so the head starts
    /// out predicting the class distribution, as cumulative-link models are usually started. Under Adam a
    /// threshold moves about one learning rate per step, too little to spread out from 0.
    package static func initialize(_ head: ClassificationHead, store: ParameterStore, trainingClasses labels: [Int]) {
        guard !labels.isEmpty else { return }
        let thresholds = store.value(head.biasName).pointer
        for k in 0..<head.outputs {
            let above = Double(labels.filter { $0 > k }.count) / Double(labels.count)
            let p = min(max(above, 1e-3), 1 - 1e-3)
            thresholds[k] = Float(Foundation.log(p / (1 - p)))
        }
    }

    /// Thresholds span several units; Adam moves each about one rate per step.
    package static var biasLearningRateScale: Float { 10 }

    package static func labels(given: [String]?, training: [LabeledExample], separator: String, task: String?, source: String) throws -> [String] {
        guard given != nil else {
            // The labels of the one task are `labels`; a task's are under `tasks` (its name says which).
            throw ConfigurationError(key: task == nil ? "labels" : "tasks",
                                     message: "the ordinal head needs the labels\(task.map { " of task \($0)" } ?? "") in order")
        }
        return try SoftmaxHead.labels(given: given, training: training, separator: separator, task: task, source: source)
    }

    package static func loss(logits: [Float], labels: [Int], targets: [Float]?, classes: Int, labelSmoothing: Float,
                             classWeights: [Float]?) -> (loss: Float, gradient: [Float]) {
        let outputs = classes - 1
        let targets = labels.flatMap { y in (0..<outputs).map { Float(y > $0 ? 1 : 0) } }
        return binaryCrossEntropyWithLogits(logits: logits, targets: targets)
    }

    /// The differences P(y > k−1) − P(y > k), clipped at 0 and renormalized where the thresholds cross.
    package static func probabilities(_ logits: ArraySlice<Float>, classes: Int) -> [Float] {
        let above = [1] + logits.map { 1 / (1 + Foundation.exp(-$0)) } + [0]
        let p = (0..<classes).map { max(0, above[$0] - above[$0 + 1]) }
        let sum = p.reduce(0, +)
        return sum > 0 ? p.map { $0 / sum } : [Float](repeating: 1 / Float(classes), count: classes)
    }

    package static func predictedClass(_ logits: ArraySlice<Float>) -> Int { logits.filter { $0 > 0 }.count }

    package static func evaluate(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String) {
        classReport(logits: logits, dev: dev, labels: labels, task: task)
    }
}
