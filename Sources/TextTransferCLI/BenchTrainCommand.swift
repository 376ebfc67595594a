import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Seconds per training step, as ../shared/bench/peer_train.py measures them.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Training data with a header `label<TAB>text`; the first 32 rows make the batch.") var train: String
    @Option(help: "Samples (medians are reported).") var runs: Int = 5
    @Option(help: "Comma-separated: full, frozen, bilstm, gru, mlm (a masked-LM step, BERT's 15% masking).") var parts: String = "full,frozen,bilstm,gru"
    @Option(help: "Tokens per sequence (every sequence is padded to it).") var length: Int = 64

    func run() throws {
        try requireSamples(runs)
        try model.applyThreads()
        reportingErrors {
            let rows = try readInputLines(train).dropFirst().map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
            guard rows.count >= 32, rows.allSatisfy({ $0.count == 2 }) else {
                throw InputError(message: "\(train): needs 32 rows of label<TAB>text after the header")
            }
            let labelNames = Array(Set(rows.map { $0[0] })).sorted()
            guard length >= 2 else { throw ValidationError("--length must be at least 2") }
            let (B, L) = (32, length)
            let tokenizer = try BertTokenizer(directory: model.model)
            // Padded to exactly L tokens, as the peer's padding="max_length".
            let encodings = rows.prefix(B).map { row -> Encoding in
                var e = tokenizer.encode(row[1], maxLength: L)
                e.pad(toLength: L, paddingID: tokenizer.paddingID)
                return e
            }
            let batch = TokenBatch(ids: encodings.flatMap(\.ids), typeIDs: encodings.flatMap(\.typeIDs),
                                   lengths: encodings.map { Int32($0.length) }, tokens: L)
            let labels = rows.prefix(B).map { labelNames.firstIndex(of: $0[0])! }
            printBLASSetting()
            for part in parts.split(separator: ",").map(String.init) {
                if part == "bilstm" || part == "gru" {
                    // The peer's recurrent model: Embedding(V, 300, frozen) → Bi{LSTM,GRU}(256) → max-pool → Linear.
                    // Every sequence runs all L steps, as the peer's unpacked batch does.
                    let model = RecurrentClassifier(vocabularySize: tokenizer.vocabulary.count, embeddingWidth: 300, hiddenSize: 256,
                                                    cell: part == "bilstm" ? .lstm : .gru, bidirectional: true, classes: labelNames.count)
                    model.embeddingsTrainable = false
                    let full = TokenBatch(ids: batch.ids, typeIDs: batch.typeIDs, lengths: [Int32](repeating: Int32(L), count: B), tokens: L)
                    let optimizer = AdamW(weightDecay: 0.01)
                    try reportSteps("text-transfer-\(part) batch=\(B) L=\(L)") {
                        try model.trainStep(full, labels: labels, optimizer: optimizer, learningRate: 1e-3)
                    }
                    continue
                }
                if part == "mlm" {
                    // Tools/bench/peer_mlm.py's step: BertForMaskedLM on the same padded batch, 15% masked (seeded).
                    let mlm = try MaskedLanguageModel(directory: model.model)
                    let masking = TokenMasking(maskID: tokenizer.vocabulary.id("[MASK]")!, vocabularySize: mlm.head.vocabularySize)
                    var generator = RandomGenerator(seed: 0)
                    let labels = encodings.flatMap { masking.mask($0, generator: &generator).labels }
                    let optimizer = AdamW(weightDecay: 0.01)
                    try reportSteps("text-transfer-minilm-mlm batch=\(B) L=\(L) predicted=\(labels.filter { $0 >= 0 }.count)") {
                        try mlm.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 1e-4)
                    }
                    continue
                }
                guard part == "full" || part == "frozen" else { throw InputError(message: "unknown part \(part): use full, frozen, bilstm, gru or mlm") }
                let classifier = try BertClassifier(directory: model.model, classes: labelNames.count)
                if part == "frozen" {
                    classifier.store.setTrainable(false, matching: "*")
                    classifier.store.setTrainable(true, matching: "classifier.*")
                }
                let optimizer = AdamW(weightDecay: 0.01)
                try reportSteps("text-transfer-minilm-\(part) batch=\(B) L=\(L)") {
                    try classifier.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: 2e-5)
                }
            }
        }
    }

    /// Times `runs` single steps after 3 warm-ups (peer_train.py's `timed`) and prints the RESULT line;
    /// the first failing step stops the benchmark with its error.
    func reportSteps(_ name: String, _ step: () throws -> Float) throws {
        var failure: Error?
        let samples = timeSamples(runs: runs, warmup: 3, minimumSeconds: 0) {
            do { _ = try step() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        printOutput("RESULT train \(name) s/step=\(summary(samples, digits: 4))")
        fflush(nil)
    }
}
