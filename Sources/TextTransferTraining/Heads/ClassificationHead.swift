import Foundation
import TextTransferCore

/// A classification head over pooled features (B, C) — the encoder pools (`BertEncoder.pool`) — then
/// optional L2 normalization, dropout and a linear layer to K logits. Its parameters live in the model's
/// ParameterStore: `<prefix>.weight` (K, C) and `<prefix>.bias` (K). The one place per head kind: its
/// parameters, loss, decoding into probabilities and classes.
public struct ClassificationHead: Sendable {
    /// What the logits mean.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// K logits, one per class: softmax and cross-entropy.
        case softmax
        /// Ordered classes, CORAL-style (Cao et al. 2020): one shared score s = w·h and K−1 thresholds,
        /// logit_k = s + b_k estimates P(y > k); binary cross-entropy on [y > k]; the prediction counts
        /// the logits above 0, so ranks stay consistent.
        case ordinal
        /// Independent tags: K sigmoid outputs, binary cross-entropy on multi-hot targets; a class is
        /// predicted where its probability reaches its threshold (tuned on dev).
        case multiLabel = "multi-label"
        /// One number: a single linear output, mean squared error (build the head with classes 1).
        case regression
    }

    public let kind: Kind
    public let classes: Int
    public let width: Int
    /// Scale the pooled vector to unit L2 norm before the classifier, as sentence-transformers models
    /// such as all-MiniLM-L6-v2 do to their embeddings (mean, cls or max pooling, not the pooler).
    public let normalize: Bool
    /// Where its parameters live in the store: `<prefix>.weight` and `<prefix>.bias`. "classifier" for the
    /// one head of a single-task model; `classifier.<task>` for each head of a multi-task one.
    public let prefix: String
    public var weightName: String { prefix + ".weight" }
    public var biasName: String { prefix + ".bias" }

    /// The parameter prefix of a task's head: "classifier" for a single task (nil), else `classifier.<task>`.
    public static func prefix(task: String?) -> String { task.map { "classifier.\($0)" } ?? "classifier" }

    public init(kind: Kind = .softmax, classes: Int, width: Int, normalize: Bool = false, prefix: String = "classifier") {
        precondition(classes >= (kind == .ordinal ? 2 : 1), "a head needs at least \(kind == .ordinal ? 2 : 1) classes")
        self.normalize = normalize
        self.kind = kind
        self.classes = classes
        self.width = width
        self.prefix = prefix
    }

    /// Logits per example: K for softmax, K−1 for ordinal.
    public var outputs: Int { kind == .ordinal ? classes - 1 : classes }

    /// `classifier.weight` (K, C) and `classifier.bias` (K); for ordinal, one score row (1, C) and the
    /// K−1 thresholds as the bias.
    public static func parameterShapes(kind: Kind = .softmax, classes: Int, width: Int,
                                       prefix: String = "classifier") -> [(name: String, shape: [Int])] {
        kind == .ordinal ? [(prefix + ".weight", [1, width]), (prefix + ".bias", [classes - 1])]
            : [(prefix + ".weight", [classes, width]), (prefix + ".bias", [classes])]
    }

    /// This head's parameters.
    public var parameterShapes: [(name: String, shape: [Int])] {
        Self.parameterShapes(kind: kind, classes: classes, width: width, prefix: prefix)
    }

    /// The loss of logits (B, outputs) and its gradient, the one place that says which loss each head kind
    /// trains with: softmax cross-entropy (label smoothing and class weights apply here only), ordinal
    /// cumulative binary cross-entropy on class indices, multi-label binary cross-entropy and regression's
    /// squared error on `targets` (B · outputs multi-hot or numeric values).
    public func loss(logits: [Float], labels: [Int], targets: [Float]? = nil, labelSmoothing: Float = 0,
                     classWeights: [Float]? = nil) -> (loss: Float, gradient: [Float]) {
        switch kind {
        case .softmax:
            return softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, labelSmoothing: labelSmoothing, classWeights: classWeights)
        case .ordinal:
            let targets = labels.flatMap { y in (0..<outputs).map { Float(y > $0 ? 1 : 0) } }
            return binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        case .multiLabel:
            guard let targets else { preconditionFailure("a multi-label head trains on multi-hot targets") }
            return binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        case .regression:
            guard let targets else { preconditionFailure("a regression head trains on numeric targets") }
            return meanSquaredError(predictions: logits, targets: targets)
        }
    }

    /// Class probabilities from one example's logits: softmax, independent sigmoids for multi-label, or for
    /// ordinal the differences
    /// P(y > k−1) − P(y > k), clipped at 0 and renormalized where the thresholds cross.
    public func probabilities(_ logits: ArraySlice<Float>) -> [Float] {
        switch kind {
        case .softmax:
            let top = logits.max()!
            let e = logits.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        case .ordinal:
            let above = [1] + logits.map { 1 / (1 + Foundation.exp(-$0)) } + [0]
            let p = (0..<classes).map { max(0, above[$0] - above[$0 + 1]) }
            let sum = p.reduce(0, +)
            return sum > 0 ? p.map { $0 / sum } : [Float](repeating: 1 / Float(classes), count: classes)
        case .multiLabel:
            return logits.map { 1 / (1 + Foundation.exp(-$0)) }
        case .regression:
            return Array(logits)  // the predicted value itself
        }
    }

    /// The predicted class: the most probable for softmax, the count of logits above 0 for ordinal.
    public func predictedClass(_ logits: ArraySlice<Float>) -> Int {
        switch kind {
        case .softmax, .multiLabel: return logits.indices.max { logits[$0] < logits[$1] }! - logits.startIndex
        case .regression: return 0
        case .ordinal: return logits.filter { $0 > 0 }.count
        }
    }

    /// Ordinal thresholds at the training prior: b_k = logit(P(y > k)) from the label counts, so the head
    /// starts out predicting the class distribution, as cumulative-link models are usually started.
    /// Under Adam a threshold moves about one learning rate per step, too little to spread out from 0.
    public func initializeThresholds(_ store: ParameterStore, labels: [Int]) {
        guard kind == .ordinal, !labels.isEmpty else { return }
        let thresholds = store.value(biasName).pointer
        for k in 0..<outputs {
            let above = Double(labels.filter { $0 > k }.count) / Double(labels.count)
            let p = min(max(above, 1e-3), 1 - 1e-3)
            thresholds[k] = Float(Foundation.log(p / (1 - p)))
        }
    }

    /// Initializes the classifier as transformers does: weights N(0, 0.02), bias 0.
    public func initialize(_ store: ParameterStore, generator: inout RandomGenerator) {
        let w = store.value(weightName)
        for i in 0..<w.count { w.pointer[i] = generator.nextNormal(std: 0.02) }
        store.value(biasName).zero()
    }

    /// What backward needs.
    public struct Saved {
        let features: Tensor    // (B, C) the pooled vectors, normalized if the head normalizes; before dropout
        let norms: Tensor?      // (B) the norms divided out when normalizing
        let dropped: Tensor     // (B, C) the classifier's input
        let mask: Tensor?

        /// The features (B·C): pooled, normalized if the head normalizes, before dropout.
        public var featureValues: [Float] { features.values }
    }

    /// Logits (B, K) from pooled features (B, C).
    public func forward(_ pooled: Tensor, store: ParameterStore, workspace: Workspace,
                        dropout: Float = 0, generator: inout RandomGenerator) -> (logits: Tensor, saved: Saved) {
        let (B, C) = (pooled.shape[0], pooled.shape[1])
        precondition(C == width && pooled.shape.count == 2, "pooled features \(pooled.shape) do not fit a head of width \(width)")
        var features = pooled
        var norms: Tensor?
        if normalize {
            features = workspace.tensor([B, C])
            features.pointer.update(from: pooled.pointer, count: B * C)
            let n = workspace.tensor([B])
            for b in 0..<B {
                let row = features.pointer + b * C
                var squares: Float = 0
                for i in 0..<C { squares += row[i] * row[i] }
                n.pointer[b] = max(squares.squareRoot(), 1e-12)
                for i in 0..<C { row[i] /= n.pointer[b] }
            }
            norms = n
        }
        let dropped = workspace.tensor([B, C])
        var mask: Tensor?
        if dropout > 0 {
            let m = workspace.tensor([B, C])
            dropoutMask(m.pointer, count: m.count, probability: dropout, generator: &generator)
            applyMask(features.pointer, m.pointer, dropped.pointer, count: B * C)
            mask = m
        } else {
            dropped.pointer.update(from: features.pointer, count: B * C)
        }
        let logits = workspace.tensor([B, outputs])
        if kind == .ordinal {
            let score = workspace.tensor([B, 1])
            linearForward(x: dropped.pointer, weight: store.value(weightName).pointer, bias: nil, y: score.pointer,
                          rows: B, inFeatures: C, outFeatures: 1)
            let thresholds = store.value(biasName).pointer
            for b in 0..<B { for k in 0..<outputs { logits.pointer[b * outputs + k] = score.pointer[b] + thresholds[k] } }
        } else {
            linearForward(x: dropped.pointer, weight: store.value(weightName).pointer, bias: store.value(biasName).pointer,
                          y: logits.pointer, rows: B, inFeatures: C, outFeatures: classes)
        }
        return (logits, Saved(features: features, norms: norms, dropped: dropped, mask: mask))
    }

    /// Accumulates the head's gradients and returns dL/d(pooled features) (B, C) from dL/dlogits (B, K).
    public func backward(_ dLogits: Tensor, saved: Saved, store: ParameterStore, workspace: Workspace) -> Tensor {
        let (B, C) = (saved.dropped.shape[0], width)
        let dDropped = workspace.tensor([B, C])
        dDropped.zero()
        if kind == .ordinal {
            // logit_k = s + b_k: ds = Σ_k dlogit_k, db_k = Σ_b dlogit_k.
            let dScore = workspace.tensor([B, 1])
            let dThresholds = store.gradient(biasName).pointer
            for b in 0..<B {
                var sum: Float = 0
                for k in 0..<outputs {
                    sum += dLogits.pointer[b * outputs + k]
                    dThresholds[k] += dLogits.pointer[b * outputs + k]
                }
                dScore.pointer[b] = sum
            }
            linearBackward(x: saved.dropped.pointer, weight: store.value(weightName).pointer, dy: dScore.pointer,
                           dx: dDropped.pointer, dWeight: store.gradient(weightName).pointer, dBias: nil,
                           rows: B, inFeatures: C, outFeatures: 1)
        } else {
            linearBackward(x: saved.dropped.pointer, weight: store.value(weightName).pointer, dy: dLogits.pointer,
                           dx: dDropped.pointer, dWeight: store.gradient(weightName).pointer,
                           dBias: store.gradient(biasName).pointer, rows: B, inFeatures: C, outFeatures: classes)
        }
        if let mask = saved.mask { applyMask(dDropped.pointer, mask.pointer, dDropped.pointer, count: B * C) }
        if let norms = saved.norms {
            // y = x / ‖x‖: dx = (dy − y·(y·dy)) / ‖x‖
            for b in 0..<B {
                let (y, d) = (saved.features.pointer + b * C, dDropped.pointer + b * C)
                var dot: Float = 0
                for i in 0..<C { dot += y[i] * d[i] }
                for i in 0..<C { d[i] = (d[i] - y[i] * dot) / norms.pointer[b] }
            }
        }
        return dDropped
    }
}
