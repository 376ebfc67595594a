import Foundation
import TextTransferIO

/// Reads a fastText model (.bin, format version 11 or 12) through a memory map: the arguments, the
/// dictionary and the input matrix (word rows, then n-gram buckets). Word vectors are computed as
/// `fasttext print-word-vectors` computes them; the bucket rows stay in the mapped file for
/// out-of-vocabulary words.
struct FastTextBinaryReader {
    let path: String
    let options: VectorLoadOptions

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        let path: String
        var offset = 0

        func fail(_ message: String, at: Int? = nil) -> VectorFileError {
            VectorFileError(file: path, byteOffset: at ?? offset, message: message)
        }

        mutating func load<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
            guard offset + MemoryLayout<T>.size <= bytes.count else { throw fail("truncated: the file ends inside \(what)") }
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }

        mutating func int(_ what: String) throws -> Int { Int(try load(Int32.self, what)) }

        mutating func cString(_ what: String) throws -> UnsafeRawBufferPointer {
            let start = offset
            while offset < bytes.count && bytes[offset] != 0 { offset += 1 }
            guard offset < bytes.count else { throw fail("truncated: the file ends inside \(what)", at: start) }
            offset += 1
            return UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)])
        }

        /// A dense matrix header (rows, columns as int64) and the offset of its float32 data, checked to fit.
        mutating func matrix(_ what: String) throws -> (rows: Int, columns: Int, data: Int) {
            let headerAt = offset
            let m = Int(try load(Int64.self, what)), n = Int(try load(Int64.self, what))
            let (count, overflow) = m.multipliedReportingOverflow(by: n)
            let (size, sizeOverflow) = count.multipliedReportingOverflow(by: 4)
            guard m >= 0, n >= 0, !overflow, !sizeOverflow else { throw fail("\(what) has shape (\(m), \(n))", at: headerAt) }
            let data = offset
            guard bytes.count - data >= size else {
                throw fail("truncated: \(what) (\(m) × \(n) float32) needs \(size) bytes but \(bytes.count - data) remain", at: data)
            }
            offset += size
            return (m, n, data)
        }
    }

    func read() throws -> (words: [String], vectors: GrowableFloats, dimension: Int, subwords: FastTextSubwords, report: VectorLoadReport) {
        let file = try MappedFile(path: path)
        var c = Cursor(bytes: file.bytes, path: path)
        var report = VectorLoadReport(format: .fastTextBinary)
        guard try c.load(Int32.self, "the magic number") == 793_712_314 else { throw c.fail("not a fastText model (wrong magic number)", at: 0) }
        let version = try c.load(Int32.self, "the version")
        guard version == 11 || version == 12 else { throw c.fail("fastText format version \(version); versions 11 and 12 are supported", at: 4) }
        let dimension = try c.int("the arguments")
        for _ in 0..<5 { _ = try c.int("the arguments") }  // ws, epoch, minCount, neg, wordNgrams
        _ = try c.int("the arguments")  // loss
        let model = try c.int("the arguments")
        let buckets = try c.int("the arguments")
        let minn = try c.int("the arguments")
        var maxn = try c.int("the arguments")
        _ = try c.int("the arguments")  // lrUpdateRate
        _ = try c.load(UInt64.self, "the arguments")  // t (double)
        if version == 11 && model == 3 { maxn = 0 }  // fastText: old supervised models have no character n-grams
        guard dimension >= 1, dimension <= maximumVectorDimension, buckets >= 0, minn >= 0, maxn >= 0 else { throw c.fail("implausible arguments: dim \(dimension), bucket \(buckets), minn \(minn), maxn \(maxn)") }

        let size = try c.int("the dictionary"), nwords = try c.int("the dictionary")
        _ = try c.int("the dictionary")  // nlabels
        _ = try c.load(Int64.self, "the dictionary")  // ntokens
        let pruneSize = Int(try c.load(Int64.self, "the dictionary"))
        guard size >= 0, nwords >= 0, nwords <= size else { throw c.fail("dictionary of \(size) entries with \(nwords) words") }
        var entries: [(bytes: UnsafeRawBufferPointer, offset: Int)] = []
        entries.reserveCapacity(min(nwords, (c.bytes.count - c.offset) / 10))  // an entry takes at least 10 bytes
        for i in 0..<size {
            let at = c.offset
            let word = try c.cString("dictionary entry \(i + 1)")
            _ = try c.load(Int64.self, "dictionary entry \(i + 1)")  // count
            let type = try c.load(UInt8.self, "dictionary entry \(i + 1)")
            if i < nwords {
                guard type == 0 else { throw c.fail("dictionary entry \(i + 1) should be a word (type 0), has type \(type)", at: at) }
                entries.append((word, at))
            }
        }
        // Only quantized models are pruned (fastText itself refuses a pruned dense model).
        guard pruneSize < 0, try c.load(UInt8.self, "the quantization flag") == 0 else {
            throw c.fail("quantized fastText models (.ftz) are not supported: use the .bin model or its .vec file", at: c.offset - 1)
        }
        let input = try c.matrix("the input matrix")
        let rowsExpected = nwords + buckets
        guard input.columns == dimension, input.rows == rowsExpected else {
            throw c.fail("the input matrix is (\(input.rows), \(input.columns)); the arguments imply (\(rowsExpected), \(dimension))", at: input.data - 16)
        }
        _ = try c.load(UInt8.self, "the output quantization flag")
        _ = try c.matrix("the output matrix")
        guard c.offset == file.bytes.count else { throw c.fail("\(file.bytes.count - c.offset) unexpected bytes after the output matrix") }

        let rows = file.bytes.baseAddress! + input.data
        let subwords = FastTextSubwords(minn: minn, maxn: maxn, buckets: buckets, dimension: dimension,
                                        rows: rows + 4 * nwords * dimension, owner: file)
        var words: [String] = []
        let vectors = GrowableFloats(rows: min(options.vocabulary?.count ?? entries.count, options.maxWords ?? .max, entries.count), columns: dimension)
        var seen = Set<String>()
        for (i, entry) in entries.prefix(options.maxWords ?? Int.max).enumerated() {
            report.rowsSeen += 1
            guard let word = String(validating: entry.bytes, as: UTF8.self) else {
                guard options.lenient else { throw c.fail("dictionary word \(i + 1) is not valid UTF-8", at: entry.offset) }
                report.skipped["invalid UTF-8", default: 0] += 1
                continue
            }
            if let wanted = options.vocabulary, !wanted.contains(word) { continue }
            guard seen.insert(word).inserted else {
                guard options.lenient else { throw c.fail("duplicate word '\(word)'", at: entry.offset) }
                report.skipped["duplicate", default: 0] += 1
                continue
            }
            // print-word-vectors: the mean of the word's own row and its n-gram rows.
            var sum = [Float](repeating: 0, count: dimension)
            let own = rows + 4 * i * dimension
            for k in 0..<dimension { sum[k] += Float(bitPattern: UInt32(littleEndian: own.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))) }
            let ngrams = subwords.ngramRows(word)
            for r in ngrams { subwords.add(row: r, into: &sum) }
            let scale = Float(1.0 / Double(1 + ngrams.count))
            if let k = sum.firstIndex(where: { !$0.isFinite }) { throw c.fail("the vector of '\(word)' has a non-finite value at \(k + 1)", at: input.data) }
            words.append(word)
            vectors.append(sum.map { $0 * scale })
        }
        return (words, vectors, dimension, subwords, report)
    }
}
