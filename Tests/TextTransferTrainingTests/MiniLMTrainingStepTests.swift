import Foundation
import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining
import TextTransferTestSupport

/// One training step of all-MiniLM-L6-v2 + a 2-class pooler head against PyTorch
/// (Tools/golden/make_training_fixtures.py): the loss, every parameter's gradient, and 5 AdamW steps.
final class MiniLMTrainingStepTests: XCTestCase {
    struct Golden: Decodable {
        let labels: [Int]
        let loss: Double
        let losses: [Double]
        let ids: [[Int32]]
        let mask: [[Int32]]
    }

    static func golden() throws -> (Golden, SafetensorsReader) {
        let json = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/training_step", withExtension: "json"))
        let tensors = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/training_step", withExtension: "safetensors"))
        return (try JSONDecoder().decode(Golden.self, from: Data(contentsOf: json)), try SafetensorsReader(path: tensors.path))
    }

    /// The model with the fixture's initial classifier.
    static func model(_ reference: SafetensorsReader) throws -> (TrainableBert, ClassificationHead) {
        try PretrainedModel.require()
        let bert = try TrainableBert(directory: PretrainedModel.directory,
                                     extraParameters: ClassificationHead.parameterShapes(classes: 2, width: 384))
        for name in ["classifier.weight", "classifier.bias"] {
            let initial = try reference.tensor(name + ".initial")
            bert.store.value(name).pointer.update(from: initial.pointer, count: initial.count)
        }
        return (bert, ClassificationHead(classes: 2, width: 384))
    }

    /// Forward and backward on the fixture's batch with dropout off; returns the loss.
    static func lossAndGradients(_ bert: TrainableBert, _ head: ClassificationHead, _ golden: Golden, _ workspace: Workspace) -> Double {
        bert.store.zeroGradients()
        workspace.reset()
        let T = golden.ids[0].count
        let batch = TokenBatch(ids: golden.ids.flatMap { $0 }, typeIDs: [Int32](repeating: 0, count: golden.ids.count * T),
                               lengths: golden.mask.map { $0.reduce(0, +) }, tokens: T)
        var generator = RandomGenerator(seed: 0)
        let activations = bert.encoder.trainingForward(batch, workspace: workspace, hiddenDropout: 0, attentionDropout: 0, generator: &generator)
        // transformers' BertForSequenceClassification: the pooler over [CLS], then the classifier.
        let (pooled, pooling) = bert.encoder.pool(activations.output, lengths: batch.lengths, pooling: .pooler, workspace: workspace)
        let (logits, saved) = head.forward(pooled, store: bert.store, workspace: workspace, generator: &generator)
        let (loss, gradient) = softmaxCrossEntropy(logits: logits.values.map(Double.init), labels: golden.labels, classes: 2)
        let dLogits = Tensor(shape: logits.shape, values: gradient.map(Float.init))
        let dPooled = head.backward(dLogits, saved: saved, store: bert.store, workspace: workspace)
        let dHidden = bert.encoder.poolBackward(dPooled, saved: pooling, gradients: bert.gradients, workspace: workspace)
        bert.encoder.backward(dHidden, activations: activations, gradients: bert.gradients, workspace: workspace)
        return loss
    }

    /// Projections of a flattened gradient on the fixture's 16 random ±1 vectors (bit i of splitmix64(j)).
    static func projections(_ g: UnsafePointer<Float>, count: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: 16)
        for j in 0..<count {
            var z = UInt64(j) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let v = Double(g[j])
            for i in 0..<16 { sums[i] += (z >> UInt64(i)) & 1 == 1 ? v : -v }
        }
        return sums
    }

    func testLossAndEveryGradientMatchPyTorch() throws {
        let (golden, reference) = try Self.golden()
        let (bert, head) = try Self.model(reference)
        let loss = Self.lossAndGradients(bert, head, golden, Workspace())
        XCTAssertEqual(loss, golden.loss, accuracy: 1e-5 * golden.loss, "loss")
        var compared = 0, worst = 0.0, worstName = ""
        for key in reference.names where key.hasPrefix("norm.") {
            let torchName = String(key.dropFirst(5))
            let ours = torchName.hasPrefix("bert.") ? String(torchName.dropFirst(5)) : torchName
            let g = bert.store.gradient(ours)
            let norm = Double(try reference.tensor(key).values[0])
            if ours.hasSuffix("attention.self.key.bias") {
                // Exactly zero in exact arithmetic: a key bias shifts all of a query's scores by the same
                // q·b, which softmax ignores. Both sides hold rounding noise (PyTorch: ~1e-10), so require
                // ours to be noise too, relative to the key weights' gradient.
                let weightNorm = Double(try reference.tensor("norm." + torchName.replacingOccurrences(of: ".bias", with: ".weight")).values[0])
                let oursNorm = g.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                XCTAssertLessThanOrEqual(oursNorm, 1e-5 * weightNorm, "\(ours) should be zero up to rounding")
                compared += 1
                continue
            }
            let expected = try reference.tensor("proj." + torchName).values.map(Double.init)
            let got = Self.projections(g.pointer, count: g.count)
            // Mean square of projected differences: an unbiased estimate of ‖g_ours − g_torch‖².
            let estimate = (zip(got, expected).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 16).squareRoot()
            let relative = estimate / max(norm, 1e-12)
            if relative > worst { (worst, worstName) = (relative, ours) }
            XCTAssertLessThanOrEqual(relative, 1e-3, "gradient of \(ours): estimated relative difference \(relative)")
            if reference.entries["grad." + torchName] != nil {
                let full = try reference.tensor("grad." + torchName).values
                let difference = zip(g.values, full).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
                XCTAssertLessThanOrEqual(difference / max(norm, 1e-12), 1e-3, "full gradient of \(ours)")
            }
            compared += 1
        }
        XCTAssertEqual(compared, bert.store.parameters.count, "every parameter compared")
        print("golden step: loss \(loss) vs \(golden.loss); \(compared) gradients, worst relative difference \(worst) (\(worstName))")
    }

    func testFiveAdamWStepsOfTheLibraryTrainStepMatchPyTorch() throws {
        let (golden, reference) = try Self.golden()
        try PretrainedModel.require()
        let model = try BertClassifier(directory: PretrainedModel.directory, classes: 2, pooling: .pooler)
        for name in ["classifier.weight", "classifier.bias"] {
            let initial = try reference.tensor(name + ".initial")
            model.store.value(name).pointer.update(from: initial.pointer, count: initial.count)
        }
        model.hiddenDropout = 0  // the fixture ran PyTorch in eval mode
        model.attentionDropout = 0
        let T = golden.ids[0].count
        let batch = TokenBatch(ids: golden.ids.flatMap { $0 }, typeIDs: [Int32](repeating: 0, count: golden.ids.count * T),
                               lengths: golden.mask.map { $0.reduce(0, +) }, tokens: T)
        let optimizer = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)
        var losses: [Double] = []
        for _ in 0..<5 {
            losses.append(Double(try model.trainStep(batch, labels: golden.labels, optimizer: optimizer, learningRate: 1e-4)))
        }
        let final = softmaxCrossEntropy(logits: model.logits(batch).flatMap { $0 }.map(Double.init), labels: golden.labels, classes: 2)
        losses.append(final.loss)
        for (ours, torch) in zip(losses, golden.losses) { XCTAssertEqual(ours, torch, accuracy: 1e-4) }
        print("AdamW losses: ours \(losses)\n              torch \(golden.losses)")
    }
}
