import ArgumentParser
import Foundation
import TextTransfer

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Sentence embeddings of each input line, in input order.",
        discussion: "EXAMPLES:\n  text-transfer embed --input texts.txt --output vectors.jsonl\n  text-transfer embed --format npy --output vectors.npy < texts.txt\n  text-transfer embed --pooling cls --max-length 128 --threads 2 < texts.txt\n  text-transfer embed --precision int8 < texts.txt   # int8 Linear layers (AVX-512 VNNI)\n  text-transfer embed --model Models/minilm-static < texts.txt   # a table made by distill-embeddings")

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, tsv, npy }

    @OptionGroup var model: ModelOptions
    @OptionGroup var precision: PrecisionOptions
    @Option(help: "Input file with one text per line, or - for standard input.") var input: String = "-"
    @Option(help: "Output file, or - for standard output.") var output: String = "-"
    @Option(help: "jsonl (a JSON array per line), tsv (tab-separated floats) or npy (float32, N × D).") var format: Format = .jsonl
    @Option(help: "Texts per forward pass.") var batchSize: Int = 32
    @Option(help: "Truncate texts to this many tokens (default: the model's max_seq_length).") var maxLength: Int?
    @Option(help: "mean, cls, max or pooler (default: the model's pooling).") var pooling: String?

    func run() throws {
        try model.applyThreads()
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        let chosenPooling = try pooling.map { name in
            guard let p = Pooling(rawValue: name) else { throw ValidationError("--pooling must be mean, cls, max or pooler") }
            return p
        }
        reportingErrors {
            let encoder = try SentenceEmbedder(directory: model.model, pooling: chosenPooling, maxLength: maxLength, precision: precision.chosen)
            precision.noteIfSlow()
            let lines = try readInputLines(input)
            let vectors = encoder.embed(lines, batchSize)
            try writeOutput(Self.render(vectors, dimension: encoder.dimension, format: format), to: output, inputs: input == "-" ? [model.model] : [input, model.model])
        }
    }

    static func render(_ vectors: [[Float]], dimension: Int, format: Format) -> Data {
        switch format {
        case .jsonl:
            var text = ""
            for v in vectors { text += "[" + v.map { "\($0)" }.joined(separator: ",") + "]\n" }
            return Data(text.utf8)
        case .tsv:
            var text = ""
            for v in vectors { text += v.map { "\($0)" }.joined(separator: "\t") + "\n" }
            return Data(text.utf8)
        case .npy:
            return npy(vectors, dimension: dimension)
        }
    }

    /// NumPy .npy version 1.0: magic, header dict padded to a multiple of 64 bytes, little-endian float32.
    static func npy(_ vectors: [[Float]], dimension: Int) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(vectors.count), \(dimension)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: header.utf8)
        for v in vectors { v.withUnsafeBytes { data.append(contentsOf: $0) } }
        return data
    }
}
