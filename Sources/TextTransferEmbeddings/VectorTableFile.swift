import Foundation
import TextTransferCore
import TextTransferIO

/// The safetensors layout of a converted vector table: `vectors` F32 (N, E), `words` U8 (the N words in
/// UTF-8, each ended by '\n'), and for fastText models `subword_vectors` F32 (buckets, E) with minn,
/// maxn and buckets in the metadata. The vectors are used in place from the memory-mapped file.
enum VectorTableFile {
    static let format = "text-transfer-word-vectors-1"

    static func write(_ table: WordVectors, to path: String) throws {
        var words: [UInt8] = []
        for w in table.words {
            guard !w.utf8.contains(0x0A) else { throw VectorFileError(file: path, message: "the word '\(w)' contains a line break") }
            words += w.utf8
            words.append(0x0A)
        }
        var tensors = ["vectors": table.vectors]
        var metadata = ["format": format, "source": (table.source as NSString).lastPathComponent]
        if let s = table.subwords {
            let rows = Tensor(zeros: [s.buckets, s.dimension])
            for b in 0..<s.buckets {
                var sum = [Float](repeating: 0, count: s.dimension)
                s.add(row: b, into: &sum)
                (rows.pointer + b * s.dimension).update(from: sum, count: s.dimension)
            }
            tensors["subword_vectors"] = rows
            metadata["minn"] = String(s.minn)
            metadata["maxn"] = String(s.maxn)
        }
        try SafetensorsWriter.write(tensors, storedTensors: ["words": .init(dtype: .u8, shape: [words.count], bytes: words)], metadata: metadata, to: path)
    }

    static func read(path: String, options: VectorLoadOptions) throws -> (words: [String], vectors: Tensor, subwords: FastTextSubwords?, report: VectorLoadReport) {
        let reader = try SafetensorsReader(path: path)
        guard reader.metadata["format"] == format else {
            throw VectorFileError(file: path, message: "not a word-vector table written by text-transfer convert (metadata format is '\(reader.metadata["format"] ?? "absent")')")
        }
        let vectors = try reader.tensor("vectors")
        guard vectors.rank == 2 else { throw VectorFileError(file: path, message: "'vectors' has shape \(vectors.shape), expected (words, dimension)") }
        let bytes = try reader.bytes("words")
        var words: [String] = []
        words.reserveCapacity(vectors.shape[0])
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            guard let w = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) else {
                throw VectorFileError(file: path, message: "'words': word \(words.count + 1) is not valid UTF-8")
            }
            words.append(w)
            start = i + 1
        }
        guard start == bytes.count, words.count == vectors.shape[0] else {
            throw VectorFileError(file: path, message: "'words' lists \(words.count) words for \(vectors.shape[0]) vectors")
        }
        var seen = Set<String>()
        if let duplicate = words.first(where: { !seen.insert($0).inserted }) {
            throw VectorFileError(file: path, message: "'words' lists '\(duplicate)' twice")
        }
        var subwords: FastTextSubwords?
        if reader.entries["subword_vectors"] != nil {
            let rows = try reader.tensor("subword_vectors")
            guard rows.rank == 2, rows.shape[1] == vectors.shape[1], let minn = reader.metadata["minn"].flatMap(Int.init),
                  let maxn = reader.metadata["maxn"].flatMap(Int.init) else {
                throw VectorFileError(file: path, message: "'subword_vectors' \(rows.shape) needs minn and maxn metadata and width \(vectors.shape[1])")
            }
            subwords = FastTextSubwords(minn: minn, maxn: maxn, buckets: rows.shape[0], dimension: rows.shape[1],
                                        rows: UnsafeRawPointer(rows.pointer), owner: rows.storage)
        }
        var report = VectorLoadReport(format: .safetensors)
        report.rowsSeen = words.count
        guard options.vocabulary != nil || options.maxWords.map({ $0 < words.count }) == true else {
            return (words, vectors, subwords, report)  // the whole table, used in place
        }
        let D = vectors.shape[1]
        let keep = words.indices.prefix(options.maxWords ?? Int.max).filter { options.vocabulary?.contains(words[$0]) ?? true }
        let kept = Tensor(zeros: [keep.count, D])
        for (r, i) in keep.enumerated() { (kept.pointer + r * D).update(from: vectors.pointer + i * D, count: D) }
        report.rowsSeen = min(words.count, options.maxWords ?? Int.max)
        return (keep.map { words[$0] }, kept, subwords, report)
    }
}
