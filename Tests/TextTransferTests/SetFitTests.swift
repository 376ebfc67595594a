import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferTraining
import TextTransferTestSupport

/// The setfit strategy on a tiny model: the pairs pull same-class embeddings together, the head is fit
/// on them, runs are deterministic, multi-label and end-to-end train, and what it cannot do is refused.
final class SetFitTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "setfit-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    // The first word decides the class; every suffix occurs with both.
    let train = (0..<16).map { i in
        LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a"][(i / 2) % 4], label: i % 2 == 0 ? "pos" : "neg", line: i + 2)
    }
    let dev = [LabeledExample(text: "hello b a", label: "pos"), LabeledExample(text: "world a b", label: "neg"),
               LabeledExample(text: "hello a", label: "pos"), LabeledExample(text: "world b", label: "neg")]

    func configuration(head: ClassificationHead.Kind = .softmax, endToEnd: Bool = false) -> FineTuningConfiguration {
        var c = FineTuningConfiguration.tinyRun(model: scratch + "/base", head: head, epochs: 2, batchSize: 8)
        c.strategy = .setfit
        c.dropout = 0.1
        var s = SetFitSettings()
        s.pairRounds = 6
        s.pairBatchSize = 8
        s.learningRate = 1e-2  // the tiny random model needs large steps
        s.endToEnd = endToEnd
        c.setfit = s
        return c
    }

    /// Mean cosine similarity of same-class and of different-class pairs of the training texts' pooled embeddings.
    func similarities(_ model: BertClassifier, tokenizer: any TextTokenizer) -> (same: Double, different: Double) {
        let features = model.pooledFeatures(train.map { tokenizer.encode($0.text, maxLength: 16) })
        func cosine(_ a: [Float], _ b: [Float]) -> Double {
            let dot = zip(a, b).map { Double($0 * $1) }.reduce(0, +)
            return dot / (a.map { Double($0 * $0) }.reduce(0, +).squareRoot() * b.map { Double($0 * $0) }.reduce(0, +).squareRoot())
        }
        var same: [Double] = [], different: [Double] = []
        for i in train.indices { for j in train.indices where j > i {
            (train[i].label == train[j].label ? { same.append(cosine(features[i], features[j])) } : { different.append(cosine(features[i], features[j])) })()
        } }
        return (same.reduce(0, +) / Double(same.count), different.reduce(0, +) / Double(different.count))
    }

    func testPairsPullClassesApartAndTheHeadIsFitOnTheTunedEncoder() throws {
        let before = try FineTuner(configuration: configuration())
        let tuner = try FineTuner(configuration: configuration())
        let result = try tuner.train(train: train, dev: dev)
        let pretrained = try BertClassifier(directory: scratch + "/base", classes: 2, pooling: .mean)
        let (s0, d0) = similarities(pretrained, tokenizer: before.tokenizer)
        let (s1, d1) = similarities(tuner.classifier!, tokenizer: tuner.tokenizer)
        XCTAssertGreaterThan(s1 - d1, (s0 - d0) + 0.3, "same-class texts end up far more alike than different-class ones")
        XCTAssertEqual(result.history.count, 1, "one evaluation, after the head")
        XCTAssertEqual(result.steps, 6 * 4, "6 rounds of 16 anchors, 4 per batch of 8 pairs")
        XCTAssertEqual(result.best?.accuracy, 1)
        try tuner.save(to: scratch + "/trained")
        let loaded = try TextClassifier(directory: scratch + "/trained")
        XCTAssertEqual(loaded.predict(dev.map(\.text)).map(\.label), dev.map(\.label))
        XCTAssertEqual(loaded.description.training.strategy, .setfit)
    }

    func testTheSameSeedGivesTheSameWeights() throws {
        func weights(seed: UInt64) throws -> [UInt32] {
            var c = configuration()
            c.seed = seed
            let tuner = try FineTuner(configuration: c)
            _ = try tuner.train(train: train, dev: dev)
            let store = tuner.classifier!.store
            return Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)).map(\.bitPattern)
        }
        XCTAssertEqual(try weights(seed: 3), try weights(seed: 3))
        XCTAssertNotEqual(try weights(seed: 3), try weights(seed: 4))
    }

    func testEndToEndFineTuningFollowsTheHead() throws {
        let tuner = try FineTuner(configuration: configuration(endToEnd: true))
        let result = try tuner.train(train: train, dev: dev)
        XCTAssertEqual(result.history.map(\.epoch), [0, 1, 2], "the head's fit, then each end-to-end epoch")
        XCTAssertEqual(result.best?.accuracy, 1)
    }

    func testMultiLabelPairsShareATag() throws {
        // "world a" and "world b" are similar by their shared tag, though their tag sets differ.
        let rows = [("hello a", "greeting"), ("hello b", "greeting"), ("world a", "letter|other"), ("world b", "letter")]
        let tagged = (0..<16).map { LabeledExample(text: rows[$0 % 4].0, label: rows[$0 % 4].1, line: $0 + 2) }
        let tuner = try FineTuner(configuration: configuration(head: .multiLabel))
        let result = try tuner.train(train: tagged, dev: Array(tagged.prefix(4)))
        XCTAssertEqual(result.labels, ["greeting", "letter", "other"])
        var probe = FineTuningConfiguration.tinyRun(model: scratch + "/base", head: .multiLabel, epochs: 1, batchSize: 8)
        (probe.strategy, probe.featureSolver) = (.featureExtraction, .lbfgs)
        let frozen = try FineTuner(configuration: probe).train(train: tagged, dev: Array(tagged.prefix(4)))
        XCTAssertGreaterThan(try XCTUnwrap(result.bestMultiLabel).microF1, try XCTUnwrap(frozen.bestMultiLabel).microF1,
                             "the tuned encoder separates what the frozen one does not")
    }

    func testWhatSetFitCannotTrainIsRefused() throws {
        func refusal(_ change: (inout FineTuningConfiguration) -> Void) -> String? {
            var c = configuration()
            change(&c)
            do { _ = try FineTuner(configuration: c) } catch let error as ConfigurationError { return error.key } catch { return "\(error)" }
            return nil
        }
        XCTAssertEqual(refusal { $0.head = .regression }, "head")
        XCTAssertEqual(refusal { $0.classWeights = .balanced }, "class_weights")
        XCTAssertEqual(refusal { $0.encoder = .bilstm }, "strategy")
        XCTAssertEqual(refusal { $0.strategy = .fineTune }, "setfit", "setfit settings without the strategy")
        XCTAssertEqual(refusal { $0.setfit?.pairRounds = 0 }, "setfit.pair_rounds")
        XCTAssertEqual(refusal { $0.setfit?.learningRate = .nan }, "setfit.lr")
        XCTAssertNil(refusal { $0.setfit = nil }, "SetFit's defaults")
        // Every example shares the tag "greeting": nothing to push apart.
        let shared = (0..<8).map { LabeledExample(text: $0 % 2 == 0 ? "hello a" : "hello b", label: $0 % 2 == 0 ? "greeting|letter" : "greeting") }
        let tuner = try FineTuner(configuration: configuration(head: .multiLabel))
        XCTAssertThrowsError(try tuner.train(train: shared, dev: shared)) { error in
            XCTAssertTrue("\(error)".contains("at least two classes"), "\(error)")
        }
    }
}
