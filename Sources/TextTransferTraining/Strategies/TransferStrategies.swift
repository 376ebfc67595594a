import Foundation
import TextTransferCore

// How the transfer strategies act on a model: learning-rate scales, freezing and regularizers (feature
// extraction, the strategy that trains no encoder, is FeatureExtraction.swift).
extension Trainer {
    /// Learning-rate multipliers: the head at head_lr / encoder_lr, and layer-wise decay below it.
    func applyLearningRateScales(_ model: BertClassifier) {
        let c = configuration
        let L = model.bert.encoder.architecture.layers
        model.store.setLearningRateScale(c.headLearningRate / c.encoderLearningRate, matching: "classifier.*")
        for head in model.heads where head.kind.rules.biasLearningRateScale != 1 {
            model.store.setLearningRateScale(head.kind.rules.biasLearningRateScale * c.headLearningRate / c.encoderLearningRate,
                                             matching: head.biasName)
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
        case .fineTune, .setfit: store.setTrainable(true, matching: "*")  // setfit: its end-to-end epochs
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
            let heads = tasks.map(\.kind)
            guard heads.allSatisfy({ $0.rules.weighsClasses }), smoothing > 0, smoothing < 1 else {
                throw ConfigurationError(key: "label_smoothing", message: "label smoothing needs the softmax head and 0 ≤ ε < 1, got \(smoothing) with \(heads.first { !$0.rules.weighsClasses } ?? .softmax)")
            }
            guard strategy != .featureExtraction else {
                throw ConfigurationError(key: "label_smoothing", message: "feature extraction fits the head without label smoothing")
            }
        }
        guard let strength = c.l2SP, strength != 0 else { return }
        guard strength > 0, strength.isFinite else { throw ConfigurationError(key: "l2_sp", message: "the strength must be a positive number, got \(strength)") }
        guard strategy != .featureExtraction else {
            throw ConfigurationError(key: "l2_sp", message: "feature extraction keeps the encoder frozen: there is nothing for L2-SP to anchor")
        }
        guard !c.fromScratch, c.embeddings != nil || !c.usesWordTokens else {
            throw ConfigurationError(key: "l2_sp", message: "L2-SP pulls toward pretrained weights, and a from-scratch encoder has none")
        }
        let penalty = L2SPPenalty(store: model.store, strength: strength) { !$0.hasPrefix("classifier.") }
        for name in penalty.anchoredNames { model.store.setWeightDecay(false, matching: name) }
        model.penalty = penalty
    }
}
