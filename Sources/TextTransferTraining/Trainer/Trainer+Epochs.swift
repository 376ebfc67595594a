import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO

extension Trainer {
    /// The optimizer loop: length-bucketed batches (for several tasks, interleaved by `TaskSchedule`),
    /// AdamW with linear warm-up and decay, the strategy's freezing per epoch, dev evaluations (`evaluate`
    /// returns true to stop early), and checkpoints every N steps, at each epoch's end and on interruption,
    /// from which `resume` continues bit-identically.
    func trainEpochs(_ model: FineTunable, run: RunRecord, checkpoints: CheckpointOptions?, started: Date, log: (String) -> Void,
                     events: (TrainingEvent) -> Void, evaluate: (_ epoch: Int, _ trainLoss: Double) -> Bool) throws {
        let c = configuration
        if let bert = classifier { applyLearningRateScales(bert) }
        var generator = RandomGenerator(seed: c.seed &+ 1)
        let batchCounts = tasks.map { ($0.targets.encodings.count + c.batchSize - 1) / c.batchSize }
        let quotas = TaskSchedule.quotas(batches: batchCounts, temperature: c.taskTemperature ?? 1)
        let batchesPerEpoch = batchCounts.reduce(0, +)
        let total = batchesPerEpoch * c.epochs
        /// An epoch's batches, drawn from the generator as it stands at the epoch's start (a checkpoint
        /// keeps that state, so a resumed epoch draws the same ones).
        func epochBatches(_ generator: inout RandomGenerator) -> [(task: Int, members: [Int])] {
            guard tasks.count > 1 else {
                return lengthBucketedBatches(tasks[0].targets.encodings, batchSize: c.batchSize, generator: &generator).map { (0, $0) }
            }
            return TaskSchedule.epoch(tasks: tasks.count, quotas: quotas, generator: &generator) { t, generator in
                lengthBucketedBatches(tasks[t].targets.encodings, batchSize: c.batchSize, generator: &generator)
            }
        }
        // Embedding encoders train everything at the head's rate; a Transformer at the encoder's.
        let schedule = LearningRateSchedule.linearWarmupThenDecay(classifier == nil ? c.headLearningRate : c.encoderLearningRate,
                                                                  warmup: Int((Float(total) * c.warmupFraction).rounded()), total: total)
        let optimizer = AdamW(weightDecay: c.weightDecay)
        var startEpoch = 1, skipBatches = 0
        if let checkpoints, checkpoints.resume, CheckpointFiles.exists(in: checkpoints.directory) {
            (startEpoch, skipBatches) = try resume(from: checkpoints.directory, model: model, optimizer: optimizer, generator: &generator, run: run)
            log("resuming at epoch \(startEpoch), step \(run.step)")
        }
        func saveCheckpoint(epoch: Int, batchesDone: Int, epochGenerator: RandomGenerator) throws {
            guard let checkpoints else { return }
            let moments = optimizer.exportState(count: model.store.count)
            let state = TrainingCheckpoint(
                epoch: epoch, batchesDone: batchesDone, step: run.step, epochGeneratorState: epochGenerator.state,
                dropoutGeneratorState: model.generator.state, classifierSteps: model.steps, optimizerSteps: moments.steps,
                lossSum: run.lossSum, lossCount: run.lossCount, history: run.history, bestScore: run.best?.score,
                bestTasks: run.best?.tasks, sinceBest: run.sinceBest, labels: tasks.map(\.labels), configuration: c,
                averagedEpochs: run.averageSum == nil ? nil : run.averagedEpochs)
            try state.write(to: checkpoints.directory, values: Array(UnsafeBufferPointer(start: model.store.values.pointer, count: model.store.count)),
                            first: moments.first, second: moments.second, best: run.best?.values, averageSum: run.averageSum)
        }
        training: for epoch in startEpoch..<(c.epochs + 1) {  // empty when resuming a finished run
            if let bert = classifier { applyFreezing(bert, epoch: epoch) }
            if let embedding = embeddingClassifier, let after = c.unfreezeEmbeddingsAfter, !c.freezeEmbeddings, epoch > after {
                embedding.embeddingsTrainable = true
                embedding.unpinEmbeddingRows()
            }
            let epochGenerator = generator  // this epoch's batches can be drawn again from here
            let batches = epochBatches(&generator)
            if epoch > startEpoch || skipBatches == 0 { (run.lossSum, run.lossCount) = (0, 0) }
            for (index, (t, members)) in batches.enumerated() where epoch > startEpoch || index >= skipBatches {
                let targets = tasks[t].targets
                let batch = TokenBatch(encodings: members.map { targets.encodings[$0] })
                let loss = try model.trainStep(batch, task: t, optimizer: optimizer, learningRate: schedule(run.step),
                                               loss: objective(task: t, members: members), stateLoss: stateObjective(task: t, members: members))
                let learningRate = schedule(run.step)
                run.lossSum += Double(loss)
                run.lossCount += 1
                events(.step(TrainingStep(epoch: epoch, step: run.step, totalSteps: total, loss: Double(loss), meanLoss: run.meanLoss,
                                          learningRate: learningRate, tokens: batch.batch * batch.tokens,
                                          seconds: Date().timeIntervalSince(started))))
                run.step += 1
                if let every = c.evaluateEvery, run.step % every == 0, index + 1 < batches.count,
                   evaluate(epoch, run.meanLoss) { break training }
                if endsTraining() {
                    endedEarly = true
                    _ = evaluate(epoch, run.meanLoss)
                    break training
                }
                let stop = checkpoints?.shouldStop() ?? false
                if stop || (checkpoints?.every.map { run.step % $0 == 0 } ?? false) {
                    try saveCheckpoint(epoch: epoch, batchesDone: index + 1, epochGenerator: epochGenerator)
                }
                if stop {
                    throw TrainingInterrupted(step: run.step, checkpoint: checkpoints!.directory)
                }
            }
            let stopEarly = evaluate(epoch, run.meanLoss)
            if c.keep == .average && epoch >= c.firstAveragedEpoch(batchesPerEpoch: batchesPerEpoch) { run.addToAverage(model.store) }
            try saveCheckpoint(epoch: epoch + 1, batchesDone: 0, epochGenerator: generator)
            if stopEarly { break }
        }
    }

    /// Restores weights, optimizer moments, generators and the run record from a checkpoint; returns the
    /// epoch to continue and how many of its batches are done.
    private func resume(from directory: String, model: FineTunable, optimizer: AdamW, generator: inout RandomGenerator,
                        run: RunRecord) throws -> (epoch: Int, batchesDone: Int) {
        let (saved, tensors) = try TrainingCheckpoint.read(from: directory)
        guard saved.configuration == configuration, saved.labels == tasks.map(\.labels) else {
            throw ModelFileError(file: directory, message: "the checkpoint was made with other settings or labels: resume with the same command")
        }
        try saved.validate(path: CheckpointFiles.statePath(in: directory))
        let state = CheckpointFiles.tensorsPath(in: directory)
        func parameters(_ name: String) throws -> Tensor {
            let t = try tensors.tensor(name)
            guard t.count == model.store.count else {
                throw ModelFileError(file: state, key: name, message: "\(t.count) values for a model of \(model.store.count)")
            }
            return t
        }
        let values = try parameters("values")
        let first = try parameters("adam.first"), second = try parameters("adam.second")
        let best = saved.bestScore == nil ? nil : try parameters("best")
        let averageSum = saved.averagedEpochs == nil ? nil : try parameters("average.sum")
        model.store.values.pointer.update(from: values.pointer, count: values.count)
        optimizer.importState(steps: saved.optimizerSteps, first: first.values, second: second.values)
        model.generator.state = saved.dropoutGeneratorState
        model.steps = saved.classifierSteps
        generator.state = saved.epochGeneratorState
        run.step = saved.step
        (run.lossSum, run.lossCount, run.history, run.sinceBest) = (saved.lossSum, saved.lossCount, saved.history, saved.sinceBest)
        (run.averageSum, run.averagedEpochs) = (averageSum?.values, saved.averagedEpochs ?? 0)
        if let score = saved.bestScore {
            guard let kept = saved.bestTasks, kept.count == tasks.count else {
                throw ModelFileError(file: CheckpointFiles.statePath(in: directory), key: "bestTasks", message: "needs one evaluation per task (\(tasks.count))")
            }
            run.best = RunRecord.KeptWeights(score: score, values: best!.values, tasks: kept)
        }
        return (saved.epoch, saved.batchesDone)
    }
}
