// Every parser as the fuzz harness and the regression test call it: each takes the path of a file holding
// the input and reads it the way the CLI reads that kind of file. A thrown error is the expected outcome of
// bad input; a trap, a leak or an allocation above the fuzzer's limit is a finding.
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferEmbeddings
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// The parsers, by the name Scripts/fuzz.sh takes (a folder of Tests/TextTransferFuzzTests/Fixtures/seeds).
public let fuzzTargets: [String: @Sendable (_ path: String) throws -> Void] = [
    "safetensors": { path in
        let reader = try SafetensorsReader(path: path)
        for name in reader.names where reader.entries[name]!.dtype != .u8 { _ = try? reader.tensor(name) }
    },
    "config": { path in _ = try BertConfiguration.load(path: path) },
    "tokenizer-json": { path in _ = try BertTokenizer(tokenizerJSON: path).encode("Héllo, wörld! 中文 unaffable") },
    "vocab": { path in _ = try BertTokenizer(wordPiece: WordPiece(vocabulary: Vocabulary.load(vocabTxt: path))).encode("hello unaffable") },
    "glove": { path in try vectors(path, .glove) },
    "word2vec-text": { path in try vectors(path, .word2vecText) },
    "word2vec-binary": { path in try vectors(path, .word2vecBinary) },
    "fasttext-bin": { path in try vectors(path, .fastTextBinary) },
    "vector-table": { path in try vectors(path, .safetensors) },
    "tsv": { path in _ = try readLabeledExamples(path: path, format: .tsv) },
    "csv": { path in _ = try readLabeledExamples(path: path, format: .csv) },
    "jsonl": { path in _ = try readLabeledExamples(path: path, format: .jsonl, textPairColumn: "pair") },
    "classifier-json": { path in
        let description = try JSONDecoder().decode(ClassifierDescription.self, from: readFileContents(atPath: path) ?? Data())
        try description.validate(path: path, maxPositions: 512)
    },
    "checkpoint-json": { path in
        try JSONDecoder().decode(TrainingCheckpoint.self, from: readFileContents(atPath: path) ?? Data()).validate(path: path)
    },
]

/// A whole load and a restricted one (the two paths through every vector reader), then lookups.
func vectors(_ path: String, _ format: VectorFileFormat) throws {
    let all = try WordVectors(contentsOf: path, options: VectorLoadOptions(format: format))
    for word in all.words.prefix(3) + ["unseenword"] { _ = WordVectorLookup(all).vector(for: word) }
    _ = try WordVectors(contentsOf: path, options: VectorLoadOptions(format: format, maxWords: 2, vocabulary: ["the", "a", "hello"]))
}
