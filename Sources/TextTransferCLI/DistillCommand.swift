import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill", abstract: "Distil a trained classifier into a small fast student, and report what it bought.",
        discussion: "The teacher labels the training texts (and --unlabeled texts) once; the student learns its logits, beside the same student trained on the labels alone. The report compares teacher, student alone and distilled student on dev.\n\nEXAMPLES:\n  text-transfer distill --teacher Models/sst2 --train Examples/sst2/train.tsv --dev Examples/sst2/dev.tsv --student bilstm --embeddings glove.txt --output Models/sst2-bilstm\n  text-transfer distill --teacher Models/sst2 --train train.tsv --unlabeled reviews.txt --student bag --output Models/sst2-bag --temperature 4 --alpha 0.3\n  text-transfer distill --teacher Models/sst2 --train train.tsv --dev dev.tsv --augment 4 --student bilstm --output Models/sst2-bilstm\n\nThe teacher's logits are written to OUTPUT.distill as they come, and the students' checkpoints beside them: a run that was stopped while labelling starts again where it stopped, and --resume continues a stopped student bit-identically.")

    @Option(help: "The teacher: a softmax classifier saved by train.") var teacher: String
    @Option(help: "Labelled training data (.tsv, .csv or .jsonl).") var train: String
    @Option(help: "Dev data; without it, a stratified --dev-fraction of the training data is held out.") var dev: String?
    @Option(help: "Held-out fraction when there is no --dev.") var devFraction: Double = 0.1
    @Option(help: "More texts for the teacher to label, one per line: the unlabelled transfer set.") var unlabeled: String?
    @Option(help: "New texts per training example for the teacher to label (Tang et al.'s masking, same-kind word replacement and n-gram sampling on ICU words).")
    var augment: Int = 0
    @Option(help: "Augmentation: probability that a word becomes [MASK].") var maskProbability: Float = 0.1
    @Option(help: "Augmentation: probability that a word is replaced by another of its kind and script.") var replaceProbability: Float = 0.1
    @Option(help: "Augmentation: probability that a new text is cut to an n-gram of 1–5 tokens.") var ngramProbability: Float = 0.25
    @Flag(help: "Keep OUTPUT.distill (the teacher's logits, the students' checkpoints) after a successful run; it is removed otherwise.") var keepCache = false
    @Flag(help: "Continue a stopped run from OUTPUT.distill: its students' checkpoints (the teacher's logits are always reused).") var resume = false
    @Option(help: "Save each student's checkpoint every N steps too (always at each epoch's end and on Ctrl-C).") var checkpointEvery: Int?
    @Option(help: "The student: bilstm, gru, bag, static (a bag whose token table is first distilled from the teacher's encoder, model2vec's way), or transformer:N (N of the teacher's layers, every k-th, as DistilBERT).")
    var student: String = "bilstm"
    @Option(help: "static: dimensions of the distilled token table (PCA).") var dimensions: Int = 256
    @Option(help: "Word-vector file for the student (GloVe, word2vec, fastText .vec/.bin, table): ICU word tokens start from it; without it, the teacher's WordPiece embeddings.")
    var embeddings: String?
    @Flag(help: "ICU word tokens with random embeddings for the student (no vector file; e.g. Thai).") var wordTokens = false
    @Flag(help: "ICU word tokens whose vectors start from the teacher's encoder: one forward pass per word of the transfer set, PCA to --embedding-width (a Transformer teacher).")
    var teacherWordVectors = false
    @Option(help: "Embedding width with --word-tokens and --teacher-word-vectors (default 300); for a bilstm, gru or bag student over the teacher's WordPiece embeddings, their width after PCA (default: the teacher's own).")
    var embeddingWidth: Int?
    @Option(help: "Hidden units per direction (bilstm, gru).") var hidden: Int = 256
    @Option(help: "bilstm, gru, bag, static: a ReLU layer of N units between the pooled vector and the logits (none by default).") var headHidden: Int?
    @Option(help: "Epochs of each student.") var epochs: Int = 3
    @Option(help: "Examples per step.") var batchSize: Int = 32
    @Option(help: "Student learning rate (default 1e-3; for transformer:N the encoder's, default 5e-5, with the head at 1e-3).") var lr: Float?
    @Option(help: "Softmax temperature T of the KL loss.") var temperature: Float = 2
    @Option(help: "Weight α of the gold labels' cross-entropy: loss = (1 − α) · soft + α · hard.") var alpha: Float = 0.5
    @Option(help: "kl (T² · KL at temperature T) or mse (on the logits, as Tang et al.).") var softLoss: String = "kl"
    @Option(help: "transformer:N: weight β of hidden-state matching, β · (1 − cos) between the student's pooled state and the teacher's (DistilBERT's cosine loss); 0 leaves it out.")
    var hiddenWeight: Float = 0
    @Option(help: "Each student ends with the weights of its best dev evaluation (best), its final weights (last), or the mean of its weights at the ends of its later epochs (average, as train's); with last and average dev only reports.")
    var keep: String = "best"
    @Option(help: "Seed for initialization, dropout and shuffling.") var seed: UInt64 = 42
    @Option(help: "Compute threads.") var threads: Int?
    @Option(help: "Directory to write the distilled student to.") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false
    @Option(help: "Write the report (every model's metrics, size and speed) as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard ["bilstm", "gru", "bag", "static"].contains(student) || transformerLayers != nil else {
            throw ValidationError("--student must be bilstm, gru, bag, static or transformer:N, not '\(student)'")
        }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, not \(lr)") }
        if teacherWordVectors && (embeddings != nil || wordTokens || student == "static" || transformerLayers != nil) {
            throw ValidationError("--teacher-word-vectors: \(embeddings != nil ? "--embeddings gives the vectors already" : wordTokens ? "--word-tokens starts them random" : "the \(student) student reads the teacher's WordPiece tokens")")
        }
        if student == "static" && (embeddings != nil || wordTokens) {
            throw ValidationError("\(wordTokens ? "--word-tokens" : "--embeddings"): the static student's table comes from the teacher")
        }
        if transformerLayers != nil && (embeddings != nil || wordTokens) {
            throw ValidationError("\(wordTokens ? "--word-tokens" : "--embeddings"): a transformer student reads the teacher's WordPiece tokens")
        }
        guard hiddenWeight.isFinite && hiddenWeight >= 0 else { throw ValidationError("--hidden-weight must be a finite number ≥ 0, not \(hiddenWeight)") }
        if hiddenWeight > 0 && transformerLayers == nil {
            throw ValidationError("--hidden-weight matches a transformer:N student's states to the teacher's, not a \(student) student's")
        }
        if let embeddingWidth, embeddingWidth < 1 { throw ValidationError("--embedding-width must be at least 1, not \(embeddingWidth)") }
        if embeddingWidth != nil && (student == "static" || transformerLayers != nil || embeddings != nil) {
            throw ValidationError("--embedding-width: \(embeddings != nil ? "the vector file sets the width" : student == "static" ? "the static table's width is --dimensions" : "a transformer student keeps the teacher's width")")
        }
        guard dimensions >= 1 else { throw ValidationError("--dimensions must be at least 1, not \(dimensions)") }
        let _: DistillationSettings.SoftLoss = try choice(softLoss, for: "--soft-loss")
        let _: WeightsToKeep = try choice(keep, for: "--keep")
        if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, not \(checkpointEvery)") }
        if augment < 0 { throw ValidationError("--augment must be 0 or more, not \(augment)") }
        for (name, p) in [("--mask-probability", maskProbability), ("--replace-probability", replaceProbability), ("--ngram-probability", ngramProbability)]
        where !(p >= 0 && p <= 1) {
            throw ValidationError("\(name) must be in [0, 1], not \(p)")
        }
        if maskProbability + replaceProbability > 1 { throw ValidationError("--mask-probability and --replace-probability add up to more than 1") }
        guard devFraction.isFinite, devFraction > 0, devFraction < 1 else { throw ValidationError("--dev-fraction must be between 0 and 1, not \(devFraction)") }
    }

    /// N of `transformer:N`.
    var transformerLayers: Int? {
        guard student.hasPrefix("transformer:"), let n = Int(student.dropFirst("transformer:".count)), n >= 1 else { return nil }
        return n
    }

    func run() throws {
        if let threads { ComputeThreads.set(threads) }
        var c = FineTuningConfiguration()
        c.encoder = transformerLayers != nil ? .transformer : student == "static" ? .bag : EncoderKind(rawValue: student)!  // checked in validate()
        c.embeddings = embeddings
        if wordTokens {
            c.wordTokens = true
            c.embeddingWidth = embeddingWidth ?? 300
        } else if !teacherWordVectors {
            c.embeddingWidth = embeddingWidth  // WordPiece embeddings reduced by PCA; nil keeps the teacher's width
        }
        c.hiddenSize = hidden
        c.headHidden = headHidden
        c.epochs = epochs
        c.batchSize = batchSize
        if transformerLayers != nil {
            c.encoderLearningRate = lr ?? c.encoderLearningRate
        } else {
            c.headLearningRate = lr ?? 1e-3
        }
        c.seed = seed
        c.keep = keep == "best" ? nil : WeightsToKeep(rawValue: keep)
        c.distillation = DistillationSettings(softLoss: DistillationSettings.SoftLoss(rawValue: softLoss)!, temperature: temperature, alpha: alpha,
                                             hiddenWeight: hiddenWeight)
        reportingErrors {
            let inputs = [teacher, train, dev, unlabeled, embeddings].compactMap { $0 }
            let destination = try OutputDirectory.reserve(output, marker: ClassifierDescription.fileName, overwrite: overwrite, inputs: inputs)
            // The teacher's logits as they come and the students' checkpoints: what a stopped run goes on from.
            let cache = try OutputDirectory.reserve(destination.path + ".distill", marker: "teacher-logits.json", inputs: inputs, locking: false)
            if let resultJson, let input = inputs.first(where: { isSameFile($0, resultJson) }) {
                throw InputError(message: "\(resultJson): is \(input), an input of this run: refusing to overwrite it")
            }
            // The data is read before any minute-long preparation, so that a bad file fails at once.
            let (trainExamples, devExamples) = try readExampleSets(train: train, dev: dev, devFraction: devFraction, seed: seed,
                                                                   textColumn: textColumn, labelColumn: labelColumn)
            let extra = try unlabeled.map(readInputLines) ?? []
            if student == "static" {
                // The table is distilled once per run, into the work directory beside the output.
                let table = try StaticDistillation.distill(from: teacher, dimensions: dimensions, log: { writeStandardError($0) })
                let path = cache.path + "/static"
                try? FileManager.default.removeItem(atPath: path)
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                try table.write(to: path)
                c.staticEmbeddings = path
            }
            if let layers = transformerLayers {
                let path = cache.path + "/transformer-\(layers)"
                let taken = try TransformerStudent.write(teacher: teacher, layers: layers, to: path)
                writeStandardError("the student starts from the teacher's embeddings and layers \(taken.map(String.init).joined(separator: ", "))")
                c.model = path
            }
            let distiller = try Distiller(teacher: teacher, student: c, teacherWordVectors: teacherWordVectors ? embeddingWidth ?? 300 : nil)
            let progress = ProgressLine()
            let log: (String) -> Void = { line in
                progress.endLine()
                writeStandardError(line)
            }
            let report = try ExampleSetFiles(train: train, dev: dev ?? "\(train) (held-out part)").naming {
                var augmentation = TextAugmenter.Settings()
                (augmentation.maskProbability, augmentation.replaceProbability, augmentation.ngramProbability) = (maskProbability, replaceProbability, ngramProbability)
                // Ctrl-C asks the student in training to save a checkpoint and stop (exit 130); --resume goes on.
                signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
                let work = Distiller.WorkDirectory(path: cache.path, resume: resume, checkpointEvery: checkpointEvery,
                                                   shouldStop: { stopRequested.load(ordering: .relaxed) })
                return try distiller.run(train: trainExamples, dev: devExamples, unlabeled: extra, augment: augment, augmentation: augmentation,
                                         work: work, log: log, events: { event in
                    if case let .step(s) = event { progress.update(s) }
                })
            }
            progress.endLine()
            try distiller.save(to: destination)
            if keepCache { log("the teacher's logits stay in \(cache.path)") } else { cache.remove() }
            if let resultJson {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeOutput(try encoder.encode(report), to: resultJson, inputs: inputs)
            }
            printOutput(report.table, terminator: "")
            printOutput("saved the distilled student to \(destination.path)")
        }
    }
}
