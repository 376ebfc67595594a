import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferEncoders
import TextTransferTokenization
import TextTransferTraining

/// model2vec's distillation of a Transformer into a static token table (Tulkens & van Dongen 2024): one
/// forward pass per vocabulary token ([CLS] token [SEP], mean of the three hidden states), PCA to
/// `dimensions`, then each row r weighted by SIF under Zipf's law, a / (a + p(r)) with p(r) ∝ 1 / (r + 2)
/// — the vocabulary's order standing in for frequency. The vocabulary drops [unused…] tokens and the
/// special tokens other than [PAD] and [UNK], as model2vec 0.10 does.
///
///     let table = try StaticDistillation.distill(from: "Models/all-MiniLM-L6-v2")
///     table.embed(["a masterful film"])   // 1 × 256
public enum StaticDistillation {
    /// Distils the encoder of `directory`: a pretrained model, or a classifier saved by `train` (its
    /// fine-tuned encoder, which knows the task).
    public static func distill(from directory: String, dimensions: Int = 256, sifCoefficient: Double? = 1e-4,
                               log: (String) -> Void = { _ in }) throws -> StaticEmbeddingModel {
        guard dimensions >= 1 else { throw ConfigurationError(key: "dimensions", message: "must be at least 1, not \(dimensions)") }
        if let a = sifCoefficient, !(a > 0 && a < 1) { throw ConfigurationError(key: "sif_coefficient", message: "must be in (0, 1), not \(a)") }
        let (encoder, tokenizer) = try openEncoder(directory)
        let started = Date()
        let kept = keptTokens(tokenizer)
        let means = tokenMeans(kept.ids, encoder: encoder, tokenizer: tokenizer)
        log(String(format: "one forward pass for each of %d tokens in %.1f s", kept.ids.count, Date().timeIntervalSince(started)))
        let table = postProcess(means, count: kept.ids.count, width: encoder.architecture.width, dimensions: dimensions, sifCoefficient: sifCoefficient)
        let wordPiece = try WordPiece(vocabulary: Vocabulary(tokens: kept.tokens, source: directory), unknownToken: tokenizer.wordPiece.unknownToken,
                                      continuingSubwordPrefix: tokenizer.wordPiece.continuingSubwordPrefix,
                                      maxInputCharactersPerWord: tokenizer.wordPiece.maxInputCharactersPerWord)
        let staticTokenizer = try BertTokenizer(wordPiece: wordPiece, normalizer: tokenizer.normalizer, classifierToken: nil, separatorToken: nil,
                                                addedTokens: ["[PAD]", tokenizer.wordPiece.unknownToken].filter { kept.tokens.contains($0) })
        let D = table.count / kept.ids.count
        var provenance = ["apply_pca": "\(dimensions)", "pooling": "mean", "tokenizer_name": (directory as NSString).lastPathComponent]
        if let a = sifCoefficient { provenance["sif_coefficient"] = "\(a)" }
        return StaticEmbeddingModel(tokenizer: staticTokenizer, table: Tensor(shape: [kept.ids.count, D], values: table), provenance: provenance)
    }

    /// Word vectors for a word-token student, model2vec's way but per word: one forward pass of each word's
    /// WordPiece tokens ([CLS] pieces [SEP], mean of the hidden states) through the encoder of `directory`,
    /// then PCA to `dimensions` (when there are more words than that). No SIF weights: an RNN reads every word, and the words have no frequency
    /// order here.
    public static func wordVectors(_ words: [String], from directory: String, dimensions: Int,
                                   log: (String) -> Void = { _ in }) throws -> WordVectors {
        guard dimensions >= 1 else { throw ConfigurationError(key: "dimensions", message: "must be at least 1, not \(dimensions)") }
        let (encoder, tokenizer) = try openEncoder(directory)
        let started = Date()
        let H = encoder.architecture.width
        let encodings = words.map { tokenizer.encode($0, maxLength: encoder.architecture.maxPositions) }
        let workspace = Workspace()
        let rows: [[Float]] = mapLengthSortedBatches(encodings, batchSize: 256) { members in
            workspace.reset()
            let batch = TokenBatch(encodings: members.map { encodings[$0] })
            let hidden = encoder.forward(batch, workspace: workspace)
            let (pooled, _) = encoder.pool(hidden, lengths: batch.lengths, pooling: .mean, workspace: workspace)
            return members.indices.map { k in Array(UnsafeBufferPointer(start: pooled.pointer + k * H, count: H)) }
        }
        let means = rows.flatMap { $0 }
        log(String(format: "one forward pass for each of %d words in %.1f s", words.count, Date().timeIntervalSince(started)))
        let table = postProcess(means, count: words.count, width: H, dimensions: dimensions, sifCoefficient: nil)
        return WordVectors(words: words, vectors: Tensor(shape: [words.count, table.count / max(words.count, 1)], values: table), source: directory)
    }

    /// The encoder and tokenizer of a pretrained model, or of a classifier saved by `train`.
    private static func openEncoder(_ directory: String) throws -> (BertEncoder, BertTokenizer) {
        if FileManager.default.fileExists(atPath: directory + "/" + ClassifierDescription.fileName) {
            let classifier = try TextClassifier(directory: directory)
            guard let e = classifier.encoder, let t = classifier.tokenizer as? BertTokenizer else {
                throw ModelFileError(file: directory, key: "encoder", message: "static vectors are distilled from a Transformer, not a \(classifier.description.encoder.rawValue) classifier")
            }
            return (e, t)
        }
        let model = try SentenceEncoder(directory: directory)
        return (model.encoder, model.tokenizer)
    }

    /// The vocabulary model2vec keeps, in id order: not [unusedN], and of the special tokens only [PAD]
    /// and the unknown token.
    static func keptTokens(_ tokenizer: BertTokenizer) -> (tokens: [String], ids: [Int32]) {
        let dropped: Set<String> = ["[CLS]", "[SEP]", "[MASK]"]
        var tokens: [String] = [], ids: [Int32] = []
        for (i, t) in tokenizer.vocabulary.tokens.enumerated() where !dropped.contains(t) && !isUnused(t) {
            tokens.append(t)
            ids.append(Int32(i))
        }
        return (tokens, ids)
    }

    private static func isUnused(_ token: String) -> Bool {
        guard token.hasPrefix("[unused"), token.hasSuffix("]") else { return false }
        let digits = token.dropFirst("[unused".count).dropLast()
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// The mean hidden state of [CLS] id [SEP] for each id (N × H, row-major), in batches of 256.
    static func tokenMeans(_ ids: [Int32], encoder: BertEncoder, tokenizer: BertTokenizer) -> [Float] {
        let H = encoder.architecture.width
        var out = [Float](repeating: 0, count: ids.count * H)
        let workspace = Workspace()
        for start in stride(from: 0, to: ids.count, by: 256) {
            let members = ids[start..<min(start + 256, ids.count)]
            let encodings = members.map { id in
                Encoding(ids: [tokenizer.classifierID, id, tokenizer.separatorID], typeIDs: [0, 0, 0], attentionMask: [1, 1, 1],
                         specialTokensMask: [1, 0, 1], offsets: [0..<0, 0..<0, 0..<0])
            }
            workspace.reset()
            let batch = TokenBatch(encodings: encodings)
            let hidden = encoder.forward(batch, workspace: workspace)
            let (pooled, _) = encoder.pool(hidden, lengths: batch.lengths, pooling: .mean, workspace: workspace)
            out.withUnsafeMutableBufferPointer { o in (o.baseAddress! + start * H).update(from: pooled.pointer, count: members.count * H) }
        }
        return out
    }

    /// PCA to `dimensions` (to the full width when it asks for more, which still rotates the table as
    /// model2vec does; none when there are no more rows than dimensions), each component's sign chosen
    /// as model2vec's PCA does (the largest-magnitude projection positive), then the SIF weights.
    static func postProcess(_ rows: [Float], count n: Int, width: Int, dimensions: Int, sifCoefficient: Double?) -> [Float] {
        var table = rows, D = width
        let k = min(dimensions, width)
        if k < n {
            let pca = rows.withUnsafeBufferPointer { PrincipalComponents(fitting: $0.baseAddress!, count: n, dimension: width, components: k) }
            table = rows.withUnsafeBufferPointer { pca.transform($0.baseAddress!, count: n) }
            D = k
            for c in 0..<D {
                var largest: Float = 0
                for r in 0..<n where abs(table[r * D + c]) > abs(largest) { largest = table[r * D + c] }
                if largest < 0 { for r in 0..<n { table[r * D + c] = -table[r * D + c] } }
            }
        }
        if let a = sifCoefficient {
            for (r, w) in sifWeights(count: n, coefficient: a).enumerated() {
                for c in 0..<D { table[r * D + c] *= w }
            }
        }
        return table
    }

    /// a / (a + p(r)) for rows r = 0..<n, with p(r) ∝ 1 / (r + 2): Zipf's law on the vocabulary's order.
    static func sifWeights(count n: Int, coefficient a: Double) -> [Float] {
        let total = (0..<n).reduce(0.0) { $0 + 1 / Double($1 + 2) }
        return (0..<n).map { r in Float(a / (a + 1 / Double(r + 2) / total)) }
    }
}
