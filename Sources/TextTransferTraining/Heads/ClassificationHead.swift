import Foundation
import TextTransferCore

/// A classification head over pooled features (B, C) — the encoder pools (`BertEncoder.pool`) — then
/// optional L2 normalization, dropout and the kind's output layer. Its parameters live in the model's
/// ParameterStore under `<prefix>.weight` and `<prefix>.bias`. What each kind means (its outputs, loss,
/// decoding, targets and report) is its `HeadKind`, one file per kind.
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
        precondition(classes >= kind.rules.minimumClasses, "a \(kind.rawValue) head needs at least \(kind.rules.minimumClasses) classes")
        self.normalize = normalize
        self.kind = kind
        self.classes = classes
        self.width = width
        self.prefix = prefix
    }

    /// Logits per example: K for softmax, K−1 for ordinal.
    public var outputs: Int { kind.rules.outputs(classes: classes) }

    /// `classifier.weight` and `classifier.bias` (or under `prefix`) for a head of this kind.
    public static func parameterShapes(kind: Kind = .softmax, classes: Int, width: Int,
                                       prefix: String = "classifier") -> [(name: String, shape: [Int])] {
        kind.rules.parameterShapes(classes: classes, width: width, prefix: prefix)
    }

    /// This head's parameters.
    public var parameterShapes: [(name: String, shape: [Int])] {
        Self.parameterShapes(kind: kind, classes: classes, width: width, prefix: prefix)
    }

    /// The loss of logits (B, outputs) and its gradient, as the head's kind trains: `labels` class
    /// indices, `targets` (B · outputs) the multi-hot or numeric rows of the kinds that read them; label
    /// smoothing and class weights apply to softmax only.
    public func loss(logits: [Float], labels: [Int], targets: [Float]? = nil, labelSmoothing: Float = 0,
                     classWeights: [Float]? = nil) -> (loss: Float, gradient: [Float]) {
        kind.rules.loss(logits: logits, labels: labels, targets: targets, classes: classes, labelSmoothing: labelSmoothing,
                        classWeights: classWeights)
    }

    /// Class probabilities from one example's logits (for regression, the value).
    public func probabilities(_ logits: ArraySlice<Float>) -> [Float] { kind.rules.probabilities(logits, classes: classes) }

    /// The predicted class index.
    public func predictedClass(_ logits: ArraySlice<Float>) -> Int { kind.rules.predictedClass(logits) }

    /// Sets what the kind starts from the training labels (class indices), e.g. ordinal thresholds at the prior.
    public func initializeThresholds(_ store: ParameterStore, labels: [Int]) {
        kind.rules.initialize(self, store: store, trainingClasses: labels)
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
        kind.rules.logits(dropped.pointer, head: self, store: store, rows: B, into: logits.pointer)
        return (logits, Saved(features: features, norms: norms, dropped: dropped, mask: mask))
    }

    /// Accumulates the head's gradients and returns dL/d(pooled features) (B, C) from dL/dlogits (B, K).
    public func backward(_ dLogits: Tensor, saved: Saved, store: ParameterStore, workspace: Workspace) -> Tensor {
        let (B, C) = (saved.dropped.shape[0], width)
        let dDropped = workspace.tensor([B, C])
        dDropped.zero()
        kind.rules.backward(dLogits.pointer, x: saved.dropped.pointer, head: self, store: store, rows: B, dx: dDropped.pointer)
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
