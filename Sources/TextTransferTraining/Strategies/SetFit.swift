import Foundation
import TextTransferCore
import TextTransferEncoders

extension Trainer {
    /// SetFit's body training: rounds of contrastive pairs (`ContrastivePairSampler`), each step the
    /// cosine-similarity loss over a batch of pairs through the whole encoder, AdamW with linear warm-up
    /// and decay. Reports every step to `events` and `onStep`. The head is fit afterwards, on the tuned
    /// embeddings (`trainHeadOnFeatures`).
    func trainSetFitBody(_ model: BertClassifier, _ task: PreparedTask, started: Date, log: (String) -> Void,
                         events: (TrainingEvent) -> Void, onStep: () -> Void) throws {
        let c = configuration
        let s = c.setfit ?? SetFitSettings()
        let targets = task.targets
        let tags = task.kind == .multiLabel
            ? targets.rows.map { row in row.indices.filter { row[$0] > 0.5 } }
            : targets.classes.map { [$0] }
        let sampler = ContrastivePairSampler(tags: tags, tagCount: task.labels.count)
        guard sampler.hasDissimilarPairs else {
            throw DataError(file: "train", message: "setfit needs examples of at least two classes (or tag sets sharing no tag) to pair as dissimilar")
        }
        let store = model.store
        store.setTrainable(true, matching: "*")
        store.setTrainable(false, matching: "classifier.*")
        let perRound = sampler.batchesPerRound(batchSize: s.pairBatchSize)
        let total = perRound * s.pairRounds
        log("setfit: \(s.pairRounds) rounds of \(sampler.pairsPerRound) pairs over \(targets.encodings.count) examples, \(total) steps")
        let schedule = LearningRateSchedule.linearWarmupThenDecay(s.learningRate, warmup: Int((Float(total) * s.warmupFraction).rounded()),
                                                                  total: total)
        let optimizer = AdamW(weightDecay: c.weightDecay)
        var generator = RandomGenerator(seed: c.seed &+ 3)
        var (lossSum, step) = (0.0, 0)
        rounds: for _ in 0..<s.pairRounds {
            for pairs in sampler.round(batchSize: s.pairBatchSize, generator: &generator) {
                // Each distinct text runs once; the pairs name its row.
                var row: [Int: Int] = [:], members: [Int] = []
                for i in pairs.flatMap({ [$0.first, $0.second] }) where row[i] == nil { row[i] = members.count; members.append(i) }
                let batch = TokenBatch(encodings: members.map { targets.encodings[$0] })
                let loss = try model.contrastiveStep(batch, pairs: pairs.map { (row[$0.first]!, row[$0.second]!, $0.similar ? 1 : 0) },
                                                     optimizer: optimizer, learningRate: schedule(step))
                lossSum += Double(loss)
                events(.step(TrainingStep(epoch: 1, step: step, totalSteps: total, loss: Double(loss), meanLoss: lossSum / Double(step + 1),
                                          learningRate: schedule(step), tokens: batch.batch * batch.tokens,
                                          seconds: Date().timeIntervalSince(started))))
                step += 1
                onStep()
                if endsTraining() {
                    endedEarly = true
                    break rounds
                }
            }
        }
        log(String(format: "setfit: body trained, mean pair loss %.5f", lossSum / Double(max(step, 1))))
    }
}
