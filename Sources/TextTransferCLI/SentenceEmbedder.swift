import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore

/// What `embed` and `similarity` read a model directory as: a Transformer sentence encoder, or a static
/// token table in model2vec's layout (`distill-embeddings` writes one; model2vec's own load too), or a
/// Transformer classifier saved by train.
struct SentenceEmbedder {
    let dimension: Int
    let embed: (_ texts: [String], _ batchSize: Int) -> [[Float]]

    init(directory: String, pooling: Pooling? = nil, maxLength: Int? = nil, precision: Precision? = nil) throws {
        if StaticEmbeddingModel.isStatic(directory: directory) {
            if let precision, precision != .fp32 { throw ValidationError("--precision: \(directory) is a static model, a table lookup in fp32") }
            if pooling != nil { throw ValidationError("--pooling: \(directory) is a static model, which always averages its token rows") }
            if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
            let loaded = try StaticEmbeddingModel(directory: directory)
            let model = maxLength.map { StaticEmbeddingModel(tokenizer: loaded.tokenizer, table: loaded.table, normalize: loaded.normalize, maxLength: $0,
                                                             provenance: loaded.provenance) } ?? loaded
            dimension = model.dimension
            embed = { texts, _ in model.embed(texts) }
        } else if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(ClassifierDescription.fileName)) {
            // A classifier embeds with its fine-tuned encoder, pooled (and normalized) as its head reads it —
            // what `export --format sentence-transformers` of it computes.
            if pooling != nil || maxLength != nil {
                throw ValidationError("--pooling and --max-length: \(directory) is a classifier, which embeds with its own pooling and length")
            }
            let classifier = try TextClassifier(directory: directory, precision: precision)
            guard classifier.encoder != nil else {
                throw ValidationError("\(directory): a \(classifier.description.encoder.rawValue) classifier has no sentence embeddings (Transformer classifiers do)")
            }
            dimension = classifier.head.width
            embed = { texts, batchSize in classifier.features(texts, batchSize: batchSize) ?? [] }
        } else {
            let encoder = try SentenceEncoder(directory: directory, pooling: pooling, maxLength: maxLength, precision: precision)
            dimension = encoder.dimension
            embed = { texts, batchSize in encoder.embed(texts, batchSize: batchSize) }
        }
    }
}
