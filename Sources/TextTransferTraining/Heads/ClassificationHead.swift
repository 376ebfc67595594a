import Foundation
import TextTransferCore

/// A classification head over an encoder's hidden states (B, T, C): pool, dropout, then a linear layer to
/// K logits. Pooling is BERT's pooler (tanh(W·h[CLS] + b), transformers' BertForSequenceClassification),
/// the [CLS] state, or the mean over real tokens (sentence-transformers). Its parameters live in the
/// model's ParameterStore: `classifier.weight` (K, C), `classifier.bias` (K), and for the pooler the
/// encoder's `pooler.dense.*`.
public struct ClassificationHead: Sendable {
    public enum Pooling: String, Sendable, Codable, CaseIterable { case pooler, cls, mean }

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
    public let pooling: Pooling
    public let classes: Int
    public let width: Int
    /// Scale the pooled vector to unit L2 norm before the classifier, as sentence-transformers models
    /// such as all-MiniLM-L6-v2 do to their embeddings (mean or CLS pooling).
    public let normalize: Bool
    /// Where its parameters live in the store: `<prefix>.weight` and `<prefix>.bias`. "classifier" for the
    /// one head of a single-task model; `classifier.<task>` for each head of a multi-task one.
    public let prefix: String
    public var weightName: String { prefix + ".weight" }
    public var biasName: String { prefix + ".bias" }

    /// The parameter prefix of a task's head: "classifier" for a single task (nil), else `classifier.<task>`.
    public static func prefix(task: String?) -> String { task.map { "classifier.\($0)" } ?? "classifier" }

    public init(kind: Kind = .softmax, pooling: Pooling, classes: Int, width: Int, normalize: Bool = false, prefix: String = "classifier") {
        precondition(classes >= (kind == .ordinal ? 2 : 1), "a head needs at least \(kind == .ordinal ? 2 : 1) classes")
        precondition(!normalize || pooling != .pooler, "normalization applies to mean or CLS pooling")
        self.normalize = normalize
        self.kind = kind
        self.pooling = pooling
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
        let lengths: [Int32]
        let tokens: Int
        let cls: Tensor?        // (B, C) [CLS] states, for the pooler
        let pooled: Tensor      // (B, C) after pooling (and tanh or normalization), before dropout
        let norms: Tensor?      // (B) the norms divided out when normalizing
        let dropped: Tensor     // (B, C) the classifier's input
        let mask: Tensor?

        /// The pooled vectors (B·C), before dropout.
        public var pooledValues: [Float] { pooled.values }
    }

    /// Logits (B, K) from hidden states (B, T, C) of sequences with the given lengths.
    public func forward(_ hidden: Tensor, lengths: [Int32], store: ParameterStore, workspace: Workspace,
                        dropout: Float = 0, generator: inout RandomGenerator) -> (logits: Tensor, saved: Saved) {
        let (B, T, C) = (hidden.shape[0], hidden.shape[1], hidden.shape[2])
        precondition(C == width && lengths.count == B, "hidden states \(hidden.shape) do not fit a head of width \(width)")
        let pooled = workspace.tensor([B, C])
        var cls: Tensor?
        switch pooling {
        case .pooler, .cls:
            let first = workspace.tensor([B, C])
            for b in 0..<B { (first.pointer + b * C).update(from: hidden.pointer + b * T * C, count: C) }
            if pooling == .pooler {
                linearForward(x: first.pointer, weight: store.value("pooler.dense.weight").pointer,
                              bias: store.value("pooler.dense.bias").pointer, y: pooled.pointer, rows: B, inFeatures: C, outFeatures: C)
                for i in 0..<(B * C) { pooled.pointer[i] = Float(Foundation.tanh(Double(pooled.pointer[i]))) }
                cls = first
            } else {
                pooled.pointer.update(from: first.pointer, count: B * C)
            }
        case .mean:
            let mask = lengths.flatMap { n in (0..<T).map { Int32($0 < Int(n) ? 1 : 0) } }
            mask.withUnsafeBufferPointer { maskedMeanPooling(hidden: hidden.pointer, mask: $0.baseAddress!, out: pooled.pointer, batch: B, tokens: T, width: C) }
        }
        var norms: Tensor?
        if normalize {
            let n = workspace.tensor([B])
            for b in 0..<B {
                let row = pooled.pointer + b * C
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
            applyMask(pooled.pointer, m.pointer, dropped.pointer, count: B * C)
            mask = m
        } else {
            dropped.pointer.update(from: pooled.pointer, count: B * C)
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
        return (logits, Saved(lengths: lengths, tokens: T, cls: cls, pooled: pooled, norms: norms, dropped: dropped, mask: mask))
    }

    /// Accumulates the head's gradients and returns dL/d(hidden states) (B, T, C) from dL/dlogits (B, K).
    public func backward(_ dLogits: Tensor, saved: Saved, store: ParameterStore, workspace: Workspace) -> Tensor {
        let (B, T, C) = (saved.lengths.count, saved.tokens, width)
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
                let (y, d) = (saved.pooled.pointer + b * C, dDropped.pointer + b * C)
                var dot: Float = 0
                for i in 0..<C { dot += y[i] * d[i] }
                for i in 0..<C { d[i] = (d[i] - y[i] * dot) / norms.pointer[b] }
            }
        }
        let dHidden = workspace.tensor([B, T, C])
        dHidden.zero()
        switch pooling {
        case .pooler:
            // pooled = tanh(z): dz = dpooled · (1 − pooled²)
            for i in 0..<(B * C) { dDropped.pointer[i] *= 1 - saved.pooled.pointer[i] * saved.pooled.pointer[i] }
            let dCLS = workspace.tensor([B, C])
            dCLS.zero()
            linearBackward(x: saved.cls!.pointer, weight: store.value("pooler.dense.weight").pointer, dy: dDropped.pointer,
                           dx: dCLS.pointer, dWeight: store.gradient("pooler.dense.weight").pointer,
                           dBias: store.gradient("pooler.dense.bias").pointer, rows: B, inFeatures: C, outFeatures: C)
            for b in 0..<B { (dHidden.pointer + b * T * C).update(from: dCLS.pointer + b * C, count: C) }
        case .cls:
            for b in 0..<B { (dHidden.pointer + b * T * C).update(from: dDropped.pointer + b * C, count: C) }
        case .mean:
            for b in 0..<B {
                let n = Int(saved.lengths[b])
                for t in 0..<n {
                    let row = dHidden.pointer + (b * T + t) * C
                    for i in 0..<C { row[i] = dDropped.pointer[b * C + i] / Float(n) }
                }
            }
        }
        return dHidden
    }
}
