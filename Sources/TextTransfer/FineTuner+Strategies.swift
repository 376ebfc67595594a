import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

// How the transfer strategies act on a model: learning-rate scales, freezing, and feature extraction.
extension FineTuner {
    /// Learning-rate multipliers: the head at head_lr / encoder_lr, and layer-wise decay below it.
    func applyLearningRateScales(_ model: BertClassifier) {
        let c = configuration
        let L = model.bert.encoder.architecture.layers
        model.store.setLearningRateScale(c.headLearningRate / c.encoderLearningRate, matching: "classifier.*")
        if model.head.kind == .ordinal {  // thresholds span several units; Adam moves each about one rate per step
            model.store.setLearningRateScale(10 * c.headLearningRate / c.encoderLearningRate, matching: "classifier.bias")
        }
        guard c.layerDecay != 1 else { return }
        for l in 0..<L {
            model.store.setLearningRateScale(Float(pow(Double(c.layerDecay), Double(L - 1 - l))), matching: "encoder.layer.\(l).*")
        }
        model.store.setLearningRateScale(Float(pow(Double(c.layerDecay), Double(L))), matching: "embeddings.*")
    }

    /// Which parameters train in `epoch` (1-based) under the strategy.
    func applyFreezing(_ model: BertClassifier, epoch: Int) {
        let L = model.bert.encoder.architecture.layers
        let store = model.store
        func trainTop(_ k: Int) {
            store.setTrainable(false, matching: "*")
            store.setTrainable(true, matching: "classifier.*")
            store.setTrainable(true, matching: "pooler.*")
            for l in max(0, L - k)..<L { store.setTrainable(true, matching: "encoder.layer.\(l).*") }
            if k > L { store.setTrainable(true, matching: "embeddings.*") }
        }
        switch strategy {
        case .fineTune: store.setTrainable(true, matching: "*")
        case .topLayers(let k): trainTop(k)
        case .gradualUnfreeze: trainTop(epoch - 1)  // ULMFiT: the head alone first, then one more block each epoch
        case .featureExtraction: trainTop(0)
        }
    }

    /// Checks the regularizers against the encoder and strategy, and anchors the pretrained weights for
    /// L2-SP: everything but the new head, whose pretrained weights then take no decay toward zero.
    func applyRegularizers(_ model: FineTunable) throws {
        let c = configuration
        if let smoothing = c.labelSmoothing, smoothing != 0 {
            guard c.head == .softmax, smoothing > 0, smoothing < 1 else {
                throw DataError(file: "--label-smoothing", message: "label smoothing needs the softmax head and 0 ≤ ε < 1, got \(smoothing) with \(c.head)")
            }
            guard strategy != .featureExtraction else {
                throw DataError(file: "--label-smoothing", message: "feature extraction fits the head without label smoothing")
            }
        }
        guard let strength = c.l2SP, strength != 0 else { return }
        guard strength > 0, strength.isFinite else { throw DataError(file: "--l2-sp", message: "the strength must be a positive number, got \(strength)") }
        guard strategy != .featureExtraction else {
            throw DataError(file: "--l2-sp", message: "feature extraction keeps the encoder frozen: there is nothing for L2-SP to anchor")
        }
        guard !c.fromScratch, c.embeddings != nil || !c.usesWordTokens else {
            throw DataError(file: "--l2-sp", message: "L2-SP pulls toward pretrained weights, and a from-scratch encoder has none")
        }
        let penalty = L2SPPenalty(store: model.store, strength: strength) { !$0.hasPrefix("classifier.") }
        for name in penalty.anchoredNames { model.store.setWeightDecay(false, matching: name) }
        model.penalty = penalty
    }

    /// Feature extraction: the frozen encoder runs once over the data; only the head trains, on the
    /// cached pooled features, reporting each step to `onStep`.
    func trainHeadOnFeatures(_ model: BertClassifier, _ encodings: [Encoding], _ labels: [Int], targets: [[Float]],
                                     classWeights: [Float]?, log: (String) -> Void, onStep: () -> Void,
                                     evaluate: (_ epoch: Int, _ loss: Double) -> Bool) throws {
        let c = configuration
        let C = model.head.width
        log("feature extraction: encoding \(encodings.count) training texts once")
        let features = model.pooledFeatures(encodings)
        let store = model.store
        store.setTrainable(false, matching: "*")
        store.setTrainable(true, matching: "classifier.*")
        // The features are already pooled (and normalized): the head sees each as a one-token sequence.
        if c.featureSolver == .lbfgs {
            guard model.head.kind == .softmax, classWeights == nil else {
                throw DataError(file: "--feature-solver", message: "lbfgs fits a softmax head without class weights; use adamw for the others")
            }
            // Logistic regression to convergence, scikit-learn's recipe (C = 1).
            let fit = LogisticRegressionFit.fit(features: features, labels: labels,
                                                classes: model.head.classes)
            log(String(format: "logistic regression (L-BFGS): %d iterations, loss %.5f", fit.iterations, fit.loss))
            store.value("classifier.weight").pointer.update(from: fit.weights, count: fit.weights.count)
            store.value("classifier.bias").pointer.update(from: fit.biases, count: fit.biases.count)
            onStep()
            _ = evaluate(1, fit.loss)
            return
        }
        let head = ClassificationHead(kind: model.head.kind, pooling: .cls, classes: model.head.classes, width: C)
        let optimizer = AdamW(weightDecay: c.weightDecay)
        var generator = RandomGenerator(seed: c.seed &+ 1)
        let perEpoch = (encodings.count + c.batchSize - 1) / c.batchSize
        let schedule = LearningRateSchedule.linearWarmupThenDecay(c.headLearningRate, warmup: 0, total: perEpoch * c.featureExtractionEpochs)
        let workspace = Workspace()
        var step = 0
        for epoch in 1...c.featureExtractionEpochs {
            var order = Array(encodings.indices)
            order.shuffle(using: &generator)
            var lossSum = 0.0
            for start in stride(from: 0, to: order.count, by: c.batchSize) {
                let members = order[start..<min(start + c.batchSize, order.count)]
                let loss = try trainStep(store: store, optimizer: optimizer, learningRate: schedule(step), step: step) {
                    workspace.reset()
                    let x = workspace.tensor([members.count, 1, C])  // each feature as a one-token "sequence"
                    for (row, index) in members.enumerated() { (x.pointer + row * C).update(from: features[index], count: C) }
                    let lengths = [Int32](repeating: 1, count: members.count)
                    let (logits, saved) = head.forward(x, lengths: lengths, store: store, workspace: workspace, dropout: c.dropout, generator: &generator)
                    let rows = head.kind == .multiLabel || head.kind == .regression ? members.flatMap { targets[$0] } : nil
                    let (loss, gradient) = head.loss(logits: logits.values, labels: members.map { labels[$0] }, targets: rows,
                                                     labelSmoothing: c.labelSmoothing ?? 0, classWeights: classWeights)
                    return (loss, { _ = head.backward(Tensor(shape: logits.shape, values: gradient), saved: saved, store: store, workspace: workspace) })
                }
                step += 1
                onStep()
                lossSum += Double(loss)
            }
            let stop = epoch % max(1, c.featureExtractionEpochs / c.epochs) == 0 || epoch == c.featureExtractionEpochs
                ? evaluate(epoch, lossSum / Double(perEpoch)) : false
            if stop { break }
        }
    }
}
