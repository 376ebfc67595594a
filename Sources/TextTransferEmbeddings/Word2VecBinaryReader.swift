import Foundation

/// Reads word2vec's binary format (as word2vec.c and gensim write it): a `count dim` header line, then per
/// word its UTF-8 bytes, one space and D little-endian float32, optionally followed by a line break.
struct Word2VecBinaryReader {
    let path: String
    let options: VectorLoadOptions

    func read() throws -> (words: [String], values: GrowableFloats, dimension: Int, report: VectorLoadReport) {
        let reader = try ChunkedFileReader(path: path)
        var report = VectorLoadReport(format: .word2vecBinary)
        guard let header = try reader.nextLine() else { throw VectorFileError(file: path, byteOffset: 0, message: "empty file: expected a 'count dim' header") }
        let fields = header.split(separator: 0x20)
        guard fields.count == 2, let rows = Int(String(decoding: fields[0], as: UTF8.self)),
              let dimension = Int(String(decoding: fields[1], as: UTF8.self)), rows >= 0, dimension >= 1 else {
            throw VectorFileError(file: path, byteOffset: 0, message: "expected a 'count dim' header line")
        }
        guard dimension <= maximumVectorDimension else {
            throw VectorFileError(file: path, byteOffset: 0, message: "the header declares vectors of \(dimension) values; at most \(maximumVectorDimension) are supported")
        }
        let limit = min(rows, options.maxWords ?? Int.max)
        var words: [String] = []
        let values = GrowableFloats(rows: min(options.vocabulary?.count ?? 100_000, limit, reader.rowsThatFit(bytesPerRow: 4 * dimension + 2)),
                                    columns: dimension)
        var row = [Float](repeating: 0, count: dimension)
        var seen = Set<String>()
        for index in 0..<limit {
            try reader.skip { $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }  // the line break some writers put after each vector
            let wordOffset = reader.offset
            guard let bytes = try reader.take(until: 0x20) else {
                throw VectorFileError(file: path, byteOffset: wordOffset,
                                      message: "truncated: the header declares \(rows) words but word \(index + 1) is cut off")
            }
            let word = String(validating: bytes, as: UTF8.self)
            let valueOffset = reader.offset
            guard let raw = try reader.take(4 * dimension) else {
                throw VectorFileError(file: path, byteOffset: valueOffset,
                                      message: "truncated: the vector of word \(index + 1) of \(rows) needs \(4 * dimension) bytes")
            }
            report.rowsSeen += 1
            if let wanted = options.vocabulary, !(word.map(wanted.contains) ?? false) { continue }
            guard let word else {
                guard options.lenient else { throw VectorFileError(file: path, byteOffset: wordOffset, message: "word \(index + 1) is not valid UTF-8") }
                report.skipped["invalid UTF-8", default: 0] += 1
                continue
            }
            for k in 0..<dimension {
                row[k] = Float(bitPattern: UInt32(littleEndian: UnsafeRawPointer(raw.baseAddress!).loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
            }
            if let k = row.firstIndex(where: { !$0.isFinite }) {
                guard options.lenient else {
                    throw VectorFileError(file: path, byteOffset: valueOffset + 4 * k, message: "value \(k + 1) of '\(word)' is not finite")
                }
                report.skipped["non-numeric", default: 0] += 1
                continue
            }
            guard seen.insert(word).inserted else {
                guard options.lenient else { throw VectorFileError(file: path, byteOffset: wordOffset, message: "duplicate word '\(word)'") }
                report.skipped["duplicate", default: 0] += 1
                continue
            }
            words.append(word)
            values.append(row)
        }
        return (words, values, dimension, report)
    }
}
