import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Knowledge distillation: a fine-tuned classifier (the teacher) labels the training texts and an
/// unlabelled transfer set once, and a small student learns its logits — beside the same student trained
/// on the labels alone, so that the report says what distillation bought.
///
///     var student = FineTuningConfiguration()
///     student.encoder = .bilstm
///     student.embeddings = "glove.6B.300d.txt"
///     let distiller = try Distiller(teacher: "Models/sst2", student: student)
///     let report = try distiller.run(train: train, dev: dev, unlabeled: moreTexts)
///     print(report.table)
///     try distiller.save(to: "Models/sst2-bilstm")
public final class Distiller {
    public let teacherDirectory: String
    public let teacher: TextClassifier
    /// The student's settings: its encoder, recipe and `distillation` (T, α, soft loss).
    public private(set) var configuration: FineTuningConfiguration
    /// Word tokens whose vectors start from the teacher's encoder, this many dimensions (see `init`).
    public let teacherWordVectors: Int?
    private var distilled: FineTuner?

    /// Reads the teacher (a softmax classifier saved by `train`) and checks the student's settings; the
    /// student learns the teacher's labels in the teacher's order, and without word vectors its embedding
    /// table starts from the teacher's WordPiece embeddings.
    ///
    /// With `teacherWordVectors` (a Transformer teacher), the student reads ICU word tokens whose vectors
    /// start from the teacher: `run` passes every word of the transfer set through the teacher's encoder
    /// once (`StaticDistillation.wordVectors`, PCA to that many dimensions), for both students alike.
    public init(teacher directory: String, student: FineTuningConfiguration, teacherWordVectors: Int? = nil) throws {
        teacherDirectory = directory
        teacher = try TextClassifier(directory: directory)
        self.teacherWordVectors = teacherWordVectors
        if let d = teacherWordVectors {
            guard teacher.encoder != nil else {
                throw ModelFileError(file: directory, key: "encoder", message: "word vectors come from a Transformer teacher, not a \(teacher.description.encoder.rawValue) classifier")
            }
            guard student.encoder != .transformer, student.embeddings == nil else {
                throw ConfigurationError(key: "teacher_word_vectors", message: "is for a bilstm, gru or bag student without a word-vector file")
            }
            guard d >= 1 else { throw ConfigurationError(key: "teacher_word_vectors", message: "must be at least 1 dimension, not \(d)") }
        }
        guard teacher.description.head == .softmax else {
            throw ModelFileError(file: directory, key: "head", message: "distillation learns a softmax teacher's logits, not a \(teacher.description.head.rawValue) head's")
        }
        var c = student
        if teacherWordVectors != nil { c.wordTokens = true }
        c.head = .softmax
        c.labels = teacher.labels
        if c.encoder == .transformer {
            // The student's own model directory (`TransformerStudent.write`), read with the teacher's tokens
            // and pooled as the teacher pools.
            c.pooling = teacher.description.pooling
        } else if !c.usesWordTokens {
            // WordPiece students start from the teacher's encoder embeddings, or, when the teacher is itself
            // an embedding classifier, from those of the model it was trained from.
            c.model = teacher.encoder != nil ? directory : teacher.description.baseModel
        }
        if c.distillation == nil { c.distillation = DistillationSettings() }
        try c.validate()  // a β for a student other than a Transformer is refused here
        if c.distillation!.hiddenWeight > 0 && teacher.encoder == nil {
            throw ModelFileError(file: directory, key: "encoder", message: "hidden-state matching needs a Transformer teacher's states, not a \(teacher.description.encoder.rawValue) classifier's")
        }
        configuration = c
    }

    /// Trains the student on the labels alone, then distilled from the teacher, and measures teacher,
    /// student alone and distilled student on `dev`: accuracy and macro-F1 with intervals, the gain with its
    /// interval, size and speed.
    ///
    /// The transfer set the teacher labels (once) is `train`, `unlabeled`, and `augment` new texts per
    /// training example made by `TextAugmenter` with `augmentation` (seeded by the student's seed).
    ///
    /// With a `work` directory, the run keeps there what an interrupted run needs to go on: the teacher's
    /// logits as they come (a run over the same teacher and texts takes what an earlier one finished), each
    /// student's checkpoints (at every epoch's end, every `work.checkpointEvery` steps, and when `shouldStop`
    /// says so), and the student trained alone once it is done. With `work.resume`, students continue
    /// from there, bit-identically to a run that was never stopped.
    public func run(train: [LabeledExample], dev: [LabeledExample], unlabeled: [String] = [], augment: Int = 0,
                    augmentation: TextAugmenter.Settings = TextAugmenter.Settings(), work: WorkDirectory? = nil,
                    log: (String) -> Void = { _ in }, events: (TrainingEvent) -> Void = { _ in }) throws -> DistillationReport {
        let pairs = pairs(train)
        guard augment == 0 || pairs == nil else {
            throw ConfigurationError(key: "augment", message: "augmentation makes single texts; the training data has text pairs")
        }
        guard augment >= 0 else { throw ConfigurationError(key: "augment", message: "must be 0 or more, not \(augment)") }
        // Checked before the teacher spends minutes labelling.
        for (examples, source) in [(train, "train"), (dev, "dev")] {
            if let stranger = examples.first(where: { !teacher.labels.contains($0.label) }) {
                throw DataError(file: source, line: stranger.line,
                                message: "label '\(stranger.label)' is not among the teacher's labels (\(teacher.labels.joined(separator: ", ")))")
            }
        }
        var extra = unlabeled
        if augment > 0 {
            let augmenter = try TextAugmenter(corpus: train.map(\.text) + unlabeled, settings: augmentation)
            let made = augmenter.augment(train.map(\.text), copies: augment, seed: configuration.seed)
            log("augmentation made \(made.count) new texts from \(train.count) training examples (up to \(augment) each)")
            extra += made
        }
        let started = Date()
        let texts = train.map(\.text) + extra
        let allPairs = pairs.map { $0 + [String](repeating: "", count: extra.count) }
        let matchesStates = configuration.distillation!.hiddenWeight > 0
        func cache(_ name: String, width: Int) -> TeacherLogitCache? {
            work.map { TeacherLogitCache(directory: $0.path, teacher: teacherDirectory, texts: texts, pairs: pairs, classes: width, name: name) }
        }
        let (logits, states) = try label(texts, pairs: allPairs, cache: cache("teacher-logits", width: teacher.labels.count),
                                         stateCache: matchesStates ? cache("teacher-states", width: teacher.head.width) : nil,
                                         keepingStates: matchesStates, log: log)
        let trainLogits = Array(logits[..<train.count]), extraLogits = Array(logits[train.count...])
        let labelling = Date().timeIntervalSince(started)
        log(String(format: "the teacher labelled %d texts (%d training, %d more) in %.1f s", texts.count, train.count, extra.count, labelling))

        // Each model is measured as an app would load it: from its saved directory.
        let scratch = work?.path ?? NSTemporaryDirectory() + "distill-\(UUID().uuidString)"
        defer { if work == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        func checkpoints(_ name: String) -> CheckpointOptions? {
            work.map { CheckpointOptions(directory: scratch + "/\(name).checkpoint", every: $0.checkpointEvery, resume: $0.resume, shouldStop: $0.shouldStop) }
        }
        func clear(_ name: String) { try? FileManager.default.removeItem(atPath: scratch + "/\(name).checkpoint") }
        if let dimensions = teacherWordVectors {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let path = scratch + "/teacher-word-vectors.safetensors"
            try wordVectors(train: train, extra: extra, dimensions: dimensions, log: log).write(to: path)
            configuration.embeddings = path
        }

        var aloneConfiguration = configuration
        aloneConfiguration.distillation = nil
        // An earlier run's alone student is taken only when it was trained with these very settings.
        let earlier = work?.resume == true ? try? ClassifierDirectory.read(scratch + "/alone").description : nil
        if let earlier, earlier.training == aloneConfiguration {
            log("the student on the labels alone: trained by an earlier run, in \(scratch)/alone")
        } else {
            log("the student on the labels alone:")
            let alone = try FineTuner(configuration: aloneConfiguration)
            _ = try alone.train(train: train, dev: dev, log: log, events: events, checkpoints: checkpoints("alone"))
            try alone.save(to: scratch + "/alone", overwrite: true)
            clear("alone")
        }
        log("the student distilled from the teacher:")
        let student = try FineTuner(configuration: configuration)
        var task = TrainingTask(name: nil, train: train, dev: dev)
        task.teacher = TrainingTask.TeacherLabels(
            logits: trainLogits, unlabeled: extra.enumerated().map { LabeledExample(text: $1, label: "", line: $0 + 1) },
            unlabeledLogits: extraLogits, states: states)
        _ = try student.train(task, log: log, events: events, checkpoints: checkpoints("distilled"))
        distilled = student
        try student.save(to: scratch + "/distilled", overwrite: true)
        clear("distilled")
        let gold = dev.map { teacher.labels.firstIndex(of: $0.label) ?? -1 }
        let measured = try [("teacher", teacherDirectory), ("alone", scratch + "/alone"), ("distilled", scratch + "/distilled")].map { name, path in
            try DistillationReport.Model.measure(name: name, directory: path, dev: dev, gold: gold)
        }
        return DistillationReport(teacher: measured[0], alone: measured[1], distilled: measured[2], transferTexts: texts.count,
                                  labellingSeconds: labelling, settings: configuration.distillation!)
    }

    /// Where a run keeps what lets a stopped run go on (see `run`).
    public struct WorkDirectory {
        public var path: String
        public var resume: Bool
        public var checkpointEvery: Int?
        public var shouldStop: () -> Bool

        public init(path: String, resume: Bool = false, checkpointEvery: Int? = nil, shouldStop: @escaping () -> Bool = { false }) {
            (self.path, self.resume, self.checkpointEvery, self.shouldStop) = (path, resume, checkpointEvery, shouldStop)
        }
    }

    /// Writes the distilled student as an ordinary classifier directory (`FineTuner.save`).
    public func save(to output: OutputDirectory) throws {
        guard let distilled else { preconditionFailure("run before saving") }
        try distilled.save(to: output)
    }

    /// The teacher's vectors of every word of the transfer set, most frequent first, as the student's
    /// word tokenizer segments them.
    private func wordVectors(train: [LabeledExample], extra: [String], dimensions: Int, log: (String) -> Void) throws -> WordVectors {
        let segmenter = try ICUWordSegmenter(options: configuration.wordSegmentation ?? .forWordVectors)
        var counts: [String: Int] = [:]
        for text in train.flatMap({ [$0.text, $0.textPair ?? ""] }) + extra {
            for w in segmenter.words(text) { counts[w, default: 0] += 1 }
        }
        let words = counts.filter { !$0.key.contains(where: \.isWhitespace) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        log("the teacher's vectors of the transfer set's \(words.count) words, \(dimensions)-d:")
        return try StaticDistillation.wordVectors(words, from: teacherDirectory, dimensions: dimensions, log: log)
    }

    private func pairs(_ examples: [LabeledExample]) -> [String]? {
        examples.contains { $0.textPair != nil } ? examples.map { $0.textPair ?? "" } : nil
    }

    /// The teacher's logits of every text, in input order, and its pooled states with `keepingStates`.
    /// Texts go to the teacher sorted by length (so that batches pad little) in chunks, each chunk appended
    /// to the caches when there are some.
    private func label(_ texts: [String], pairs: [String]?, cache: TeacherLogitCache?, stateCache: TeacherLogitCache?,
                       keepingStates: Bool, log: (String) -> Void) throws -> (logits: [[Float]], states: [[Float]]?) {
        let lengths = texts.map { $0.unicodeScalars.count }
        let order = texts.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var sorted = try cache?.resume() ?? []
        var sortedStates = keepingStates ? try stateCache?.resume() ?? [] : []
        if keepingStates && sortedStates.count != sorted.count {  // both resume from the rows they share
            let whole = min(sorted.count, sortedStates.count)
            (sorted, sortedStates) = (Array(sorted[..<whole]), Array(sortedStates[..<whole]))
            try cache?.truncate(toRows: whole)
            try stateCache?.truncate(toRows: whole)
        }
        if !sorted.isEmpty { log("the cache in \(cache!.directory) has the teacher's logits of \(sorted.count) of \(texts.count) texts") }
        let chunk = 4096
        var reported = sorted.count * 10 / max(texts.count, 1)
        while sorted.count < texts.count {
            let members = Array(order[sorted.count..<min(sorted.count + chunk, texts.count)])
            let memberPairs = pairs.map { p in members.map { p[$0] } }
            let (rows, states) = keepingStates ? teacher.logitsAndStates(members.map { texts[$0] }, pairs: memberPairs)
                                               : (teacher.logits(members.map { texts[$0] }, pairs: memberPairs), nil)
            if let bad = rows.indices.first(where: { !rows[$0].allSatisfy(\.isFinite) || !(states?[$0].allSatisfy(\.isFinite) ?? true) }) {
                throw ModelFileError(file: teacherDirectory, message: "the teacher's \(states == nil ? "logits" : "logits or states") of transfer text \(members[bad] + 1) are not finite")
            }
            try cache?.append(rows)
            sorted += rows
            if let states {
                try stateCache?.append(states)
                sortedStates += states
            }
            if texts.count > chunk, sorted.count * 10 / texts.count > reported {
                reported = sorted.count * 10 / texts.count
                log("the teacher has labelled \(sorted.count) of \(texts.count) texts")
            }
        }
        var logits = [[Float]](repeating: [], count: texts.count)
        var states = [[Float]](repeating: [], count: keepingStates ? texts.count : 0)
        for (k, i) in order.enumerated() {
            logits[i] = sorted[k]
            if keepingStates { states[i] = sortedStates[k] }
        }
        return (logits, keepingStates ? states : nil)
    }
}
