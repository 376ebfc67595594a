import Foundation

/// Reads GloVe text (no header) and word2vec text / fastText .vec (a `count dim` header) files in one
/// streaming pass. A row is `word v1 … vD`; a word may itself contain spaces (some GloVe files have such
/// rows), so the last D fields are the values and the rest is the word.
struct TextVectorReader {
    let path: String
    let options: VectorLoadOptions
    let hasHeader: Bool

    func read() throws -> (words: [String], values: GrowableFloats, dimension: Int, report: VectorLoadReport) {
        let reader = try ChunkedFileReader(path: path)
        var report = VectorLoadReport(format: hasHeader ? .word2vecText : .glove)
        var declaredRows: Int?
        var dimension = 0
        if hasHeader {
            guard let header = try reader.nextLine() else { throw VectorFileError(file: path, line: 1, message: "empty file: expected a 'count dim' header") }
            let fields = header.split(separator: 0x20)
            guard fields.count == 2, let rows = Int(String(decoding: fields[0], as: UTF8.self)),
                  let dim = Int(String(decoding: fields[1], as: UTF8.self)), rows >= 0, dim >= 1 else {
                throw VectorFileError(file: path, line: 1, message: "expected a 'count dim' header, found '\(String(decoding: header.prefix(80), as: UTF8.self))'")
            }
            guard dim <= maximumVectorDimension else {
                throw VectorFileError(file: path, line: 1, message: "the header declares vectors of \(dim) values; at most \(maximumVectorDimension) are supported")
            }
            (declaredRows, dimension) = (rows, dim)
        }
        var words: [String] = []
        var values: GrowableFloats?
        var seen = Set<String>()
        var fieldStarts: [Int] = []
        var row = [Float]()
        let wanted = options.vocabulary
        let limit = options.maxWords ?? Int.max
        func reserve() -> GrowableFloats {  // the exact size when restricted, so the table is allocated once
            GrowableFloats(rows: min(options.vocabulary?.count ?? 100_000, limit, declaredRows ?? .max,
                                      reader.rowsThatFit(bytesPerRow: 2 * dimension + 2)), columns: dimension)  // "w 0 0 …": 2 bytes a value
        }

        func skip(_ reason: String, _ message: String, line: Int) throws {
            guard options.lenient else { throw VectorFileError(file: path, line: line, message: message) }
            report.skipped[reason, default: 0] += 1
        }

        while report.rowsSeen < limit, let line = try reader.nextLine() {
            let number = reader.lineNumber
            var n = line.count
            while n > 0 && (line[n - 1] == 0x20 || line[n - 1] == 0x09) { n -= 1 }  // fastText ends rows with a space
            if n == 0 { continue }  // blank lines carry no row
            report.rowsSeen += 1
            let base = line.baseAddress!
            // Restricted loading decides on the first field alone, before splitting or parsing the row; only
            // GloVe's first row is always split, as it sets the width.
            if let wanted, dimension > 0, !(firstField(base, n).map(wanted.contains) ?? false) { continue }
            fieldStarts.removeAll(keepingCapacity: true)
            var i = 0
            while i < n {
                while i < n && line[i] == 0x20 { i += 1 }
                if i < n { fieldStarts.append(i) }
                while i < n && line[i] != 0x20 { i += 1 }
            }
            if dimension == 0 {  // GloVe: the first row sets the width
                dimension = fieldStarts.count - 1
                guard dimension >= 1 else { throw VectorFileError(file: path, line: number, message: "a row needs a word and at least one value") }
                guard dimension <= maximumVectorDimension else {
                    throw VectorFileError(file: path, line: number, message: "the first row has \(dimension) values; at most \(maximumVectorDimension) are supported")
                }
                if let wanted, !(firstField(base, n).map(wanted.contains) ?? false) { continue }
            }
            guard fieldStarts.count >= dimension + 1 else {
                try skip("ragged", "\(fieldStarts.count - 1) values where the file has \(dimension) per word", line: number)
                continue
            }
            let firstValue = fieldStarts[fieldStarts.count - dimension]
            var wordEnd = firstValue - 1
            while wordEnd > 0 && line[wordEnd - 1] == 0x20 { wordEnd -= 1 }
            guard let word = String(validating: UnsafeBufferPointer(start: base, count: wordEnd), as: UTF8.self) else {
                try skip("invalid UTF-8", "the word is not valid UTF-8", line: number)
                continue
            }
            row.removeAll(keepingCapacity: true)
            var bad: String?
            for f in (fieldStarts.count - dimension)..<fieldStarts.count {
                let start = base + fieldStarts[f]
                var stop: UnsafeMutablePointer<CChar>?
                let v = start.withMemoryRebound(to: CChar.self, capacity: 1) { strtof($0, &stop) }
                let consumed = stop.map { UnsafeRawPointer($0) - UnsafeRawPointer(start) } ?? 0
                let fieldEnd = f + 1 < fieldStarts.count ? fieldStarts[f + 1] : n
                var length = fieldEnd - fieldStarts[f]
                while length > 0 && line[fieldStarts[f] + length - 1] == 0x20 { length -= 1 }
                if consumed != length || !v.isFinite {
                    let text = String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self)
                    bad = "value \(f - (fieldStarts.count - dimension) + 1) of '\(word)' is \(v.isFinite ? "not a number" : "not finite"): '\(text)'"
                    break
                }
                row.append(v)
            }
            if let bad {
                try skip("non-numeric", bad, line: number)
                continue
            }
            guard seen.insert(word).inserted else {
                try skip("duplicate", "duplicate word '\(word)'", line: number)
                continue
            }
            words.append(word)
            if values == nil { values = reserve() }
            values!.append(row)
        }
        if let declaredRows, options.maxWords == nil || options.maxWords! > declaredRows {
            if report.rowsSeen != declaredRows {
                throw VectorFileError(file: path, line: 1, message: "the header declares \(declaredRows) words but the file has \(report.rowsSeen)")
            }
        }
        if dimension == 0 { throw VectorFileError(file: path, message: "no vectors in the file") }
        return (words, values ?? GrowableFloats(rows: 0, columns: 0), dimension, report)
    }

    /// The row's text up to its first space, if valid UTF-8: the word, for deciding before parsing.
    private func firstField(_ base: UnsafePointer<UInt8>, _ n: Int) -> String? {
        let space = memchr(base, 0x20, n).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
        return String(validating: UnsafeBufferPointer(start: base, count: space), as: UTF8.self)
    }
}
