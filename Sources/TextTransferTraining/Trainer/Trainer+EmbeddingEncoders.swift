import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferEncoders
import TextTransferTokenization

// The bilstm, gru and bag encoders: over the pretrained model's WordPiece embeddings, or over ICU word
// tokens with vectors from a word-vector file (or random ones).
extension Trainer {
    /// Builds the embedding classifier; for word tokens also the word vocabulary (the training words) and
    /// its tokenizer, and prints how much of train and dev the vectors cover.
    func makeEmbeddingClassifier(train: [LabeledExample], dev: [LabeledExample], classes: Int,
                                 log: (String) -> Void) throws -> RecurrentClassifier {
        let c = configuration
        guard c.usesWordTokens else {
            var pretrained: Tensor?
            let (config, _, lookup, _) = try PretrainedBert.open(directory: c.model)
            try checkModelLimits(vocabularySize: config.vocabSize, maxPositions: nil)
            if let directory = c.staticEmbeddings, !c.fromScratch {
                let table = try staticTable(directory, vocabularySize: config.vocabSize, log: log)
                return makeRecurrentClassifier(vocabularySize: config.vocabSize, width: table.shape[1], classes: classes, embeddings: table)
            }
            let width = c.embeddingWidth ?? config.hiddenSize
            guard width <= config.hiddenSize else {
                throw ConfigurationError(key: "embedding_width", message: "\(width) is wider than the model's \(config.hiddenSize)-d WordPiece embeddings it is reduced from")
            }
            if !c.fromScratch {
                pretrained = try lookup("embeddings.word_embeddings.weight", [config.vocabSize, config.hiddenSize])
                if let table = pretrained, width < config.hiddenSize {
                    pretrained = Self.principalComponents(of: table, width: width)
                    log("WordPiece embeddings: the model's \(config.hiddenSize)-d rows reduced to \(width) by PCA")
                }
            }
            return makeRecurrentClassifier(vocabularySize: config.vocabSize, width: width, classes: classes, embeddings: pretrained)
        }
        let segmenter = try ICUWordSegmenter(options: c.wordSegmentation ?? .forWordVectors)
        func counts(_ examples: [LabeledExample]) -> [String: Int] {
            var counts: [String: Int] = [:]
            for e in examples {
                for w in segmenter.words(e.text) { counts[w, default: 0] += 1 }
                if let pair = e.textPair { for w in segmenter.words(pair) { counts[w, default: 0] += 1 } }
            }
            return counts
        }
        let trainCounts = counts(train)
        let kept = trainCounts.filter { $0.value >= (c.minWordCount ?? 1) }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var words = [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator] + kept.map(\.key)
        // The file's most frequent words join the vocabulary too, so that words never seen in training
        // still carry their vectors.
        var fileWords: WordVectors?
        if let path = c.embeddings, let n = c.vectorWords, n > 0 {
            let first = try WordVectors(contentsOf: path, options: VectorLoadOptions(maxWords: n))
            let known = Set(words)
            words += first.words.filter { !known.contains($0) && !$0.contains(where: \.isWhitespace) }
            fileWords = first
        }
        tokenizer = try WordTokenizer(words: words, options: segmenter.options)
        guard let path = c.embeddings else {
            log("word tokens: \(words.count) words (training words seen at least \(c.minWordCount ?? 1) times), random \(c.embeddingWidth ?? 300)-d embeddings")
            return makeRecurrentClassifier(vocabularySize: words.count, width: c.embeddingWidth ?? 300, classes: classes, embeddings: nil)
        }
        // One pass over the file, keeping only the forms the training words may need.
        let started = Date()
        let wanted = Set(words.dropFirst(3).flatMap(WordVectorLookup.candidateForms))
        let vectors = try WordVectors(contentsOf: path, options: VectorLoadOptions(vocabulary: wanted))
        log(String(format: "read %d of %d vectors (%d-d, %@) from %@ in %.2f s", vectors.count, vectors.report.rowsSeen, vectors.dimension,
                   vectors.report.format.rawValue, path, Date().timeIntervalSince(started)))
        let lookup = WordVectorLookup(vectors)
        log(CoverageReport(name: "train", wordCounts: trainCounts, lookup: lookup).summary)
        let devCounts = counts(dev)
        let known = Set(words)
        let devTokens = devCounts.values.reduce(0, +), devKnown = devCounts.filter { known.contains($0.key) }.values.reduce(0, +)
        log(String(format: "dev: %.1f%% of %d tokens are training words; the rest read as %@", 100 * Double(devKnown) / Double(max(devTokens, 1)),
                   devTokens, WordTokenizer.unknown))
        let E = vectors.dimension
        let table = Tensor(zeros: [words.count, E])
        // Words without a vector start random at the pretrained vectors' own scale; padding stays zero.
        let scale = Float((vectors.vectors.values.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(vectors.vectors.count, 1))).squareRoot())
        var generator = RandomGenerator(seed: c.seed &+ 7)
        var pretrainedRows: [Int] = []
        for (i, word) in words.enumerated() where i > 0 {
            let found = i < 3 ? nil : i <= kept.count + 2 ? lookup.vector(for: word).vector : fileWords?.vector(for: word)
            let row = table.pointer + i * E
            if let found, !c.fromScratch {
                row.update(from: found, count: E)
                pretrainedRows.append(i)
            } else {
                for k in 0..<E { row[k] = generator.nextNormal() * (c.fromScratch ? 1 : scale) }
            }
        }
        let model = makeRecurrentClassifier(vocabularySize: words.count, width: E, classes: classes, embeddings: c.fromScratch ? nil : table)
        // Frozen word vectors: the pretrained rows hold still while the unknown vector and the words
        // without a vector train.
        if !c.fromScratch && (c.freezeEmbeddings || c.unfreezeEmbeddingsAfter != nil) {
            model.embeddingsTrainable = true
            model.pinEmbeddingRows(pretrainedRows)
        }
        return model
    }

    /// A static model's rows laid out by the WordPiece ids of `model`'s tokenizer (V × D); ids the static
    /// vocabulary lacks start at zero.
    private func staticTable(_ directory: String, vocabularySize: Int, log: (String) -> Void) throws -> Tensor {
        let model = try StaticEmbeddingModel(directory: directory)
        guard let tokenizer = tokenizer as? BertTokenizer else { preconditionFailure("WordPiece students have a BertTokenizer") }
        let D = model.dimension
        let table = Tensor(zeros: [vocabularySize, D])
        var found = 0
        for (id, token) in tokenizer.vocabulary.tokens.enumerated() where id < vocabularySize {
            guard let row = model.tokenizer.vocabulary.id(token) else { continue }
            (table.pointer + id * D).update(from: model.table.pointer + Int(row) * D, count: D)
            found += 1
        }
        log("static embeddings: \(found) of \(vocabularySize) WordPiece tokens start from the \(D)-d rows of \(directory)")
        return table
    }

    /// The rows of `table` (V × D) projected on their first `width` principal components: a narrower
    /// embedding (its recurrent layer's input products shrink with it) that keeps most of the table's spread.
    static func principalComponents(of table: Tensor, width: Int) -> Tensor {
        let (V, D) = (table.shape[0], table.shape[1])
        let pca = PrincipalComponents(fitting: table.pointer, count: V, dimension: D, components: width)
        return Tensor(shape: [V, width], values: pca.transform(table.pointer, count: V))
    }

    private func makeRecurrentClassifier(vocabularySize: Int, width: Int, classes: Int, embeddings: Tensor?) -> RecurrentClassifier {
        let c = configuration
        let cell = c.encoder.cell
        let model = RecurrentClassifier(vocabularySize: vocabularySize, embeddingWidth: width, hiddenSize: c.hiddenSize, cell: cell,
                                        bidirectional: true, classes: classes, headHidden: c.headHidden, seed: c.seed, embeddings: embeddings)
        model.embeddingsTrainable = !c.freezeEmbeddings && c.unfreezeEmbeddingsAfter == nil
        model.maxGradientNorm = c.maxGradientNorm
        return model
    }
}
