import Foundation
import TextTransferCore

extension Trainer {
    /// Feature extraction: the frozen encoder runs once over the data; only the head trains, on the
    /// cached pooled features, reporting each step to `onStep`. `solver` overrides the configuration's
    /// (SetFit fits by L-BFGS); an L-BFGS fit is evaluated as `epoch`.
    func trainHeadOnFeatures(_ model: BertClassifier, _ task: PreparedTask, solver: FeatureSolver? = nil, epoch: Int = 1,
                             log: (String) -> Void, onStep: () -> Void,
                             evaluate: (_ epoch: Int, _ loss: Double) -> Bool) throws {
        let c = configuration
        let (encodings, labels, classWeights) = (task.targets.encodings, task.targets.classes, task.classWeights)
        let C = model.head.width
        log("feature extraction: encoding \(encodings.count) training texts once")
        let features = model.pooledFeatures(encodings)
        let store = model.store
        store.setTrainable(false, matching: "*")
        store.setTrainable(true, matching: "classifier.*")
        // The features are already pooled (and normalized): the head reads them as they are.
        if (solver ?? c.featureSolver) == .lbfgs {
            let kind = model.head.kind
            guard kind == .softmax || kind == .multiLabel, classWeights == nil else {
                throw ConfigurationError(key: "feature_solver", message: "lbfgs fits a softmax or multi-label head without class weights; use adamw for the others")
            }
            // Logistic regression to convergence, scikit-learn's recipe (C = 1); one-vs-rest for tags.
            let fit = kind == .softmax
                ? LogisticRegressionFit.fit(features: features, labels: labels, classes: model.head.classes)
                : LogisticRegressionFit.fitOneVsRest(features: features, targets: task.targets.rows, tags: model.head.classes)
            log(String(format: "logistic regression (L-BFGS): %d iterations, loss %.5f", fit.iterations, fit.loss))
            store.value(model.head.weightName).pointer.update(from: fit.weights, count: fit.weights.count)
            store.value(model.head.biasName).pointer.update(from: fit.biases, count: fit.biases.count)
            onStep()
            _ = evaluate(epoch, fit.loss)
            return
        }
        let head = ClassificationHead(kind: model.head.kind, classes: model.head.classes, width: C, prefix: model.head.prefix)
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
                    let x = workspace.tensor([members.count, C])  // (B, C)
                    for (row, index) in members.enumerated() { (x.pointer + row * C).update(from: features[index], count: C) }
                    let (logits, saved) = head.forward(x, store: store, workspace: workspace, dropout: c.dropout, generator: &generator)
                    let rows = task.targets.rows(Array(members))
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
