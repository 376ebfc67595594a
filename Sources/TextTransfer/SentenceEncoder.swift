import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Sentence embeddings from a pretrained BERT-family model, as sentence-transformers computes them:
/// WordPiece, the encoder, pooling, and L2 normalization when the model's modules.json asks for it.
///
///     let encoder = try SentenceEncoder(directory: "Models/all-MiniLM-L6-v2")
///     let vectors = encoder.embed(["A man is eating food.", "Someone is eating."])  // 2 × 384
///
/// One instance is safe to share across threads.
public final class SentenceEncoder: Sendable {
    public let tokenizer: BertTokenizer
    /// The encoder. Its weights are views of tensors, which are mutable (training writes them) and so not
    /// Sendable; these are loaded once and never written, and only the inference pass runs, writing to
    /// each call's own workspace: that is what makes sharing them safe.
    nonisolated(unsafe) public let encoder: BertEncoder
    public let configuration: BertConfiguration
    public let pooling: Pooling
    /// Texts are truncated to this many tokens, [CLS] and [SEP] included.
    public let maxLength: Int
    public let normalize: Bool
    private let workspaces = WorkspacePool()

    public var dimension: Int { encoder.architecture.width }

    /// Loads `directory`. `pooling`, `maxLength` and `normalize` default to the model's sentence-transformers
    /// settings (all-MiniLM-L6-v2: mean, 256, normalized). `precision` is what the encoder's Linear layers
    /// compute in (bf16 and int8 convert the weights once, here); nil: what the directory stores (fp32, or
    /// what `text-transfer quantize` wrote).
    public init(directory: String, pooling: Pooling? = nil, maxLength: Int? = nil, normalize: Bool? = nil,
                precision: Precision? = nil) throws {
        let (config, loaded) = try PretrainedBert.load(directory: directory)
        let encoder = loaded.converted(to: precision ?? ModelWeightsFile.locate(in: directory)?.precision ?? .fp32)
        let files = try SentenceTransformersFiles(directory: directory)
        tokenizer = try BertTokenizer(directory: directory)
        if tokenizer.vocabulary.count > config.vocabSize {
            throw ModelFileError(file: directory, key: "vocab_size",
                                 message: "the tokenizer has \(tokenizer.vocabulary.count) tokens but config.json's vocab_size is \(config.vocabSize)")
        }
        self.configuration = config
        self.encoder = encoder
        let chosen = pooling ?? files.pooling ?? .mean  // the model's 1_Pooling choice
        if chosen == .pooler && encoder.weights.pooler == nil {
            throw ModelFileError(file: directory, key: "pooler.dense.weight", message: "pooling 'pooler' needs the BERT pooler weights")
        }
        self.pooling = chosen
        let length = maxLength ?? files.maxSequenceLength ?? min(512, config.maxPositionEmbeddings)
        guard length >= 2 && length <= config.maxPositionEmbeddings else {
            throw ModelFileError(file: directory, key: "max_seq_length",
                                 message: "max length \(length) must be in 2...\(config.maxPositionEmbeddings) (max_position_embeddings)")
        }
        self.maxLength = length
        self.normalize = normalize ?? files.normalize
    }

    /// One embedding per text, in input order. Texts are sorted by length and batched with dynamic
    /// padding, so batches carry little padding.
    public func embed(_ texts: [String], batchSize: Int = 32) -> [[Float]] {
        let encodings = tokenizer.encode(texts, maxLength: maxLength)
        return embed(encodings: encodings, batchSize: batchSize)
    }

    /// Embeddings of already tokenized texts, in input order.
    public func embed(encodings: [Encoding], batchSize: Int = 32) -> [[Float]] {
        workspaces.withWorkspace { workspace in
            mapLengthSortedBatches(encodings, batchSize: batchSize) { members in
                embedBatch(members.map { encodings[$0] }, workspace: workspace)
            }
        }
    }

    /// Embeddings of one batch exactly as given, padding included (for benchmarks at a fixed length).
    public func embedPadded(_ encodings: [Encoding]) -> [[Float]] {
        workspaces.withWorkspace { embedBatch(encodings, workspace: $0, padTo: encodings.map(\.count).max(), computesPadding: true) }
    }

    /// The last hidden states of each text, (tokens, C) flattened, without padding.
    public func lastHiddenStates(_ texts: [String]) -> [[Float]] {
        workspaces.withWorkspace { workspace in
            texts.map { text in
                let encoding = tokenizer.encode(text, maxLength: maxLength)
                workspace.reset()
                let hidden = encoder.forward(TokenBatch(encodings: [encoding]), workspace: workspace)
                return Array(UnsafeBufferPointer(start: hidden.pointer, count: encoding.length * dimension))
            }
        }
    }

    private func embedBatch(_ encodings: [Encoding], workspace: Workspace, padTo: Int? = nil, computesPadding: Bool = false) -> [[Float]] {
        workspace.reset()
        let input = TokenBatch(encodings: encodings, padTo: padTo)
        let (B, C) = (input.batch, dimension)
        workspace.reserve(Workspace.elements(for: encoder.activationShapes(batch: B, tokens: input.tokens) + [[B, C], [B, C], [B, C]]))
        let hidden = encoder.forward(input, workspace: workspace, computesPadding: computesPadding)  // (B, T, C)
        let (pooled, _) = encoder.pool(hidden, lengths: input.lengths, pooling: pooling, workspace: workspace)
        if normalize { l2NormalizeRows(pooled.pointer, rows: B, width: C) }
        return (0..<B).map { Array(UnsafeBufferPointer(start: pooled.pointer + $0 * C, count: C)) }
    }
}
