import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining
import TextTransferTestSupport

/// The fine-tuner on a tiny model: strategies' freezing, save/load round trip, the fingerprint check.
final class FineTunerTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tuner-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    // "hello …" is positive, "world …" negative: learnable by the tiny model.
    // Every suffix occurs with both labels, so only the first word decides.
    let train = (0..<24).map { i in LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a"][(i / 2) % 4], label: i % 2 == 0 ? "pos" : "neg", line: i + 2) }
    let dev = [LabeledExample(text: "hello b", label: "pos"), LabeledExample(text: "world a", label: "neg")]

    func tuner(_ strategy: String, epochs: Int = 2, dropout: Float = 0.1, learningRate: Float = 1e-2) throws -> FineTuner {
        var c = FineTuningConfiguration()
        c.dropout = dropout
        c.model = scratch + "/base"
        c.strategy = try XCTUnwrap(TransferStrategy(strategy))
        c.epochs = epochs
        c.batchSize = 8
        c.maxLength = 16  // the tiny model's positions
        c.encoderLearningRate = learningRate
        c.headLearningRate = learningRate
        c.featureExtractionEpochs = 4
        return try FineTuner(configuration: c)
    }

    func values(_ tuner: FineTuner, _ pattern: String) -> [[UInt32]] {
        let store = tuner.classifier!.store
        return store.parameters.filter { globMatches(pattern, $0.name) }.map { store.value($0.name).values.map(\.bitPattern) }
    }

    func initial(_ pattern: String) throws -> [[UInt32]] {
        let model = try BertClassifier(directory: scratch + "/base", classes: 2)
        return model.store.parameters.filter { globMatches(pattern, $0.name) }.map { model.store.value($0.name).values.map(\.bitPattern) }
    }

    func testFeatureExtractionLeavesTheEncoderBitIdentical() throws {
        let t = try tuner("feature-extraction")
        _ = try t.train(train: train, dev: dev)
        XCTAssertEqual(values(t, "encoder.*"), try initial("encoder.*"))
        XCTAssertEqual(values(t, "embeddings.*"), try initial("embeddings.*"))
        XCTAssertNotEqual(values(t, "classifier.*"), try initial("classifier.*"))
    }

    func testFeatureExtractionWithLBFGSFitsTheHeadOnly() throws {
        var c = try tuner("feature-extraction").configuration
        c.featureSolver = .lbfgs
        let t = try FineTuner(configuration: c)
        let result = try t.train(train: train, dev: dev)
        XCTAssertEqual(result.history.count, 1)
        XCTAssertEqual(values(t, "encoder.*"), try initial("encoder.*"))
        XCTAssertNotEqual(values(t, "classifier.*"), try initial("classifier.*"))
    }

    func testTopKFreezesEmbeddingsAndGradualUnfreezingStartsWithTheHead() throws {
        let top = try tuner("top-k:1")
        _ = try top.train(train: train, dev: dev)
        XCTAssertEqual(values(top, "embeddings.*"), try initial("embeddings.*"))
        XCTAssertNotEqual(values(top, "encoder.layer.0.*"), try initial("encoder.layer.0.*"))
        // One epoch of gradual unfreezing trains the head alone.
        let gradual = try tuner("gradual-unfreeze", epochs: 1)
        _ = try gradual.train(train: train, dev: dev)
        XCTAssertEqual(values(gradual, "encoder.*"), try initial("encoder.*"))
        XCTAssertNotEqual(values(gradual, "classifier.*"), try initial("classifier.*"))
    }

    /// ‖θ − θ₀‖ over every parameter outside the head.
    func distanceFromPretrained(_ tuner: FineTuner) throws -> Double {
        let start = try BertClassifier(directory: scratch + "/base", classes: 2).store
        let store = tuner.classifier!.store
        return store.parameters.filter { !$0.name.hasPrefix("classifier.") }.reduce(0.0) { sum, p in
            sum + zip(store.value(p.name).values, start.value(p.name).values).reduce(0.0) { $0 + pow(Double($1.0 - $1.1), 2) }
        }.squareRoot()
    }

    func testL2SPKeepsTheEncoderNearItsPretrainedWeights() throws {
        var c = try tuner("fine-tune", epochs: 4, dropout: 0, learningRate: 1e-2).configuration
        let free = try FineTuner(configuration: c)
        _ = try free.train(train: train, dev: dev)
        c.l2SP = 10
        let anchored = try FineTuner(configuration: c)
        _ = try anchored.train(train: train, dev: dev)
        let (freeDistance, anchoredDistance) = (try distanceFromPretrained(free), try distanceFromPretrained(anchored))
        XCTAssertGreaterThan(freeDistance, 0.1)
        XCTAssertLessThan(anchoredDistance, 0.8 * freeDistance, "L2-SP pulls toward θ₀")
        XCTAssertFalse(anchored.classifier!.store.parameter("encoder.layer.0.attention.self.query.weight")!.weightDecay,
                       "anchored weights decay toward θ₀, not zero")
        XCTAssertTrue(anchored.classifier!.store.parameter("classifier.weight")!.weightDecay)
        c.strategy = .featureExtraction
        XCTAssertThrowsError(try FineTuner(configuration: c).train(train: train, dev: dev)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "l2_sp", "the library names the configuration key, the CLI its flag")
        }
    }

    func testLabelSmoothingTrainsAndIsRefusedOutsideTheSoftmaxHead() throws {
        var c = try tuner("fine-tune", epochs: 30, dropout: 0, learningRate: 3e-2).configuration
        c.labelSmoothing = 0.1
        XCTAssertEqual(try FineTuner(configuration: c).train(train: train, dev: dev).best?.accuracy, 1)
        c.head = .ordinal
        c.labels = ["neg", "pos"]
        XCTAssertThrowsError(try FineTuner(configuration: c).train(train: train, dev: dev)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "label_smoothing", "\(error)")
        }
    }

    /// The library reports through `log` and events; it never writes to standard error itself, not even
    /// on a terminal (stderr is a pseudo-terminal here, where a progress bar would have been drawn).
    func testTrainingWritesNothingToStandardError() throws {
        // posix_openpt and its kin are not in the Glibc module: looked up by name.
        typealias Open = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func function<T>(_ name: String, _: T.Type) throws -> T {
            unsafeBitCast(try XCTUnwrap(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name), name), to: T.self)
        }
        let master = try function("posix_openpt", Open.self)(O_RDWR | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(master, 0)
        defer { close(master) }
        XCTAssertEqual(try function("grantpt", Open.self)(master), 0)
        XCTAssertEqual(try function("unlockpt", Open.self)(master), 0)
        let terminal = open(try XCTUnwrap(try function("ptsname", Name.self)(master)), O_RDWR | O_NOCTTY)
        let saved = dup(STDERR_FILENO)
        dup2(terminal, STDERR_FILENO)
        XCTAssertEqual(isatty(STDERR_FILENO), 1)
        var lines: [String] = [], steps = 0
        let trained = Result { try tuner("fine-tune", epochs: 2).train(train: train, dev: dev, log: { lines.append($0) }, events: { event in
            if case .step = event { steps += 1 }
        }) }
        dup2(saved, STDERR_FILENO)
        close(terminal)
        close(saved)
        _ = try trained.get()
        _ = fcntl(master, F_SETFL, O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 4096)
        XCTAssertLessThanOrEqual(read(master, &buffer, buffer.count), 0, "nothing reached the terminal")
        XCTAssertEqual(steps, 6, "2 epochs of 3 batches, each reported")
        XCTAssertFalse(lines.isEmpty)
    }

    func testFullFineTuningLearnsAndTheSavedClassifierPredictsTheSame() throws {
        let t = try tuner("fine-tune", epochs: 30, dropout: 0, learningRate: 3e-2)
        let result = try t.train(train: train, dev: dev)
        XCTAssertEqual(result.labels, ["neg", "pos"], "labels in sorted order")
        XCTAssertEqual(result.best?.accuracy, 1)
        let directory = scratch + "/trained"
        try t.save(to: directory)
        let loaded = try TextClassifier(directory: directory)
        XCTAssertEqual(loaded.labels, ["neg", "pos"])
        let texts = dev.map(\.text) + ["hello", "world a b"]
        let inMemory = t.classifier!.logits(TokenBatch(encodings: texts.map { t.tokenizer.encode($0, maxLength: 128) }))
        for (p, z) in zip(loaded.predict(texts), inMemory) {
            let e = z.map { Foundation.exp($0 - z.max()!) }
            let expected = e.map { $0 / e.reduce(0, +) }
            XCTAssertEqual(p.probabilities.map(\.bitPattern), expected.map(\.bitPattern), "identical predictions after loading")
        }
    }

    /// Sequential transfer (an intermediate task first): a saved classifier is a pretrained model for the
    /// next task; its encoder carries over and its head is replaced by one for the new labels.
    func testASavedClassifierIsThePretrainedModelOfTheNextTask() throws {
        let first = try tuner("fine-tune", epochs: 3, dropout: 0, learningRate: 3e-2)
        _ = try first.train(train: train, dev: dev)
        try first.save(to: scratch + "/first")
        var c = try tuner("feature-extraction").configuration
        c.model = scratch + "/first"
        let second = try FineTuner(configuration: c)
        let three = train.map { LabeledExample(text: $0.text, label: $0.text.hasSuffix("a") ? "a" : $0.label, line: $0.line) }
        let result = try second.train(train: three, dev: dev)
        XCTAssertEqual(result.labels, ["a", "neg", "pos"])
        XCTAssertEqual(values(second, "encoder.*"), values(first, "encoder.*"), "the first task's encoder, not the base model's")
        XCTAssertNotEqual(values(second, "encoder.*"), try initial("encoder.*"))
        XCTAssertEqual(second.classifier!.store.value("classifier.weight").shape, [3, 8])
    }

    /// With `keep = "last"` dev only reports: two runs that differ only in their dev data end with
    /// bit-identical weights.
    func testKeepingTheLastWeightsSelectsNothingOnDev() throws {
        var c = try tuner("fine-tune", epochs: 3, dropout: 0.1, learningRate: 3e-2).configuration
        c.keep = .last
        let (a, b) = (try FineTuner(configuration: c), try FineTuner(configuration: c))
        _ = try a.train(train: train, dev: dev)
        let result = try b.train(train: train, dev: [LabeledExample(text: "hello a", label: "neg"), LabeledExample(text: "world b", label: "pos")])
        XCTAssertEqual(result.history.count, 3)
        XCTAssertEqual(values(a, "*"), values(b, "*"))
        XCTAssertNotEqual(values(a, "encoder.*"), try initial("encoder.*"))
    }

    func testLoadingRefusesAnotherTokenizerOrLabelMap() throws {
        let t = try tuner("feature-extraction")
        _ = try t.train(train: train, dev: dev)
        let directory = scratch + "/trained"
        try t.save(to: directory)
        // Another vocabulary: the fingerprint no longer matches.
        try (TinyBert.vocabulary.reversed().joined(separator: "\n") + "\n").write(toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("tokenizer_fingerprint"), "\(error)")
        }
        // A label list that disagrees with the classifier's weights.
        try t.save(to: directory)
        let path = directory + "/text_transfer.json"
        var description = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        description["labels"] = ["neg", "pos", "extra"]
        try JSONSerialization.data(withJSONObject: description).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try TextClassifier(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("'classifier.weight'") && "\(error)".contains("3 labels"), "\(error)")
        }
    }
}
