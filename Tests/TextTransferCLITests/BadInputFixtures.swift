import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTestSupport

/// The files the bad-input matrix starts from, made once per test run in a temporary folder: the tiny BERT,
/// a toy data set it learns, a classifier and a checkpoint trained from them by the CLI, and word-vector
/// files. Every case then damages a copy or passes a bad value; the originals are never written.
enum BadInputFixtures {
    /// "hello …" is positive, "world …" negative: words of the tiny model's vocabulary.
    static let trainRows: [String] = (0..<24).map { (i: Int) -> String in
        let suffixes = ["a", "b", "a b", "b a"]
        return (i % 2 == 0 ? "pos\thello " : "neg\tworld ") + suffixes[(i / 2) % 4]
    }

    /// The folder, built on first use. Throws what the set-up met (a failed training run names its output).
    static func base() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let dir = NSTemporaryDirectory() + "bad-input-\(UUID().uuidString)"
        try build(dir)
        made = dir
        // Shared by every test of the process, so it goes when the process does.
        atexit { if let dir = BadInputFixtures.made { try? FileManager.default.removeItem(atPath: dir) } }
        return dir
    }

    nonisolated(unsafe) private static var made: String?
    private static let lock = NSLock()

    /// The `train` arguments every training case starts from (the tiny model has 16 positions).
    static func trainArguments(base: String, output: String, train: String? = nil, model: String? = nil) -> [String] {
        ["train", "--model", model ?? base + "/tiny", "--train", train ?? base + "/train.tsv", "--dev", base + "/dev.tsv",
         "--output", output, "--epochs", "1", "--max-length", "16", "--threads", "1", "--batch-size", "8"]
    }

    private static func build(_ dir: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try TinyBert.write(to: dir + "/tiny")
        try write("label\ttext\n" + trainRows.joined(separator: "\n") + "\n", dir + "/train.tsv")
        try write("label\ttext\npos\thello b\nneg\tworld a\npos\thello a b\nneg\tworld b a\n", dir + "/dev.tsv")
        try write("hello a\nworld b\n", dir + "/texts.txt")
        try write("hello 0.1 0.2 0.3 0.4\nworld -0.1 0.2 -0.3 0.4\na 0.5 0.5 0.5 0.5\nb 0.4 0.3 0.2 0.1\n", dir + "/glove.txt")
        for (arguments, what) in [(trainArguments(base: dir, output: dir + "/cls"), "classifier"),
                                  (trainArguments(base: dir, output: dir + "/ckrun") + ["--keep-checkpoint"], "checkpoint"),
                                  (trainArguments(base: dir, output: dir + "/bag") + ["--encoder", "bag"], "bag classifier"),
                                  (["distill-embeddings", "--model", dir + "/tiny", "--output", dir + "/static", "--dimensions", "4"], "static model")] {
            let r = try runCLI(arguments)
            guard r.status == 0 else { throw FixtureError("training the \(what) fixture failed: \(r.stderr)") }
        }
        try VectorFileBytes.table(words: ["hello", "world", "hello"], dimension: 4).write(to: URL(fileURLWithPath: dir + "/duplicate.safetensors"))
        try VectorFileBytes.table(words: ["hello", "world"], dimension: 4).write(to: URL(fileURLWithPath: dir + "/table.safetensors"))
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A copy of `source` at `destination` (directories whole).
    static func copy(_ source: String, _ destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    /// Rewrites the JSON object in `path` with `change`.
    static func editJSON(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// Rewrites the safetensors file at `path` with `change` applied to its tensors.
    static func editTensors(_ path: String, _ change: (inout [String: Tensor]) -> Void) throws {
        let reader = try SafetensorsReader(path: path)
        var tensors: [String: Tensor] = [:]
        for name in reader.names { tensors[name] = try reader.tensor(name).copy() }
        change(&tensors)
        try SafetensorsWriter.write(tensors, to: path)
    }
}

extension Tensor {
    /// A copy that owns its storage (the reader's tensors view a memory map).
    func copy() -> Tensor { Tensor(shape: shape, values: Array(UnsafeBufferPointer(start: pointer, count: count))) }
}

/// Word-vector files built byte by byte, valid or damaged in one named field.
enum VectorFileBytes {
    /// word2vec binary: the header line as given, then each word, a space and `dimension` float32.
    static func word2vec(header: String, words: [String] = ["hello", "world"], dimension: Int = 4) -> Data {
        var data = Data((header + "\n").utf8)
        for (i, w) in words.enumerated() {
            data.append(contentsOf: Array((w + " ").utf8))
            for k in 0..<dimension { append(&data, Float(i) + Float(k) / 10) }
            data.append(0x0A)
        }
        return data
    }

    /// A fastText v12 model (unsupervised, 4-d, 3 words, 10 buckets, n = 3–6), with an optional damaged field.
    static func fastText(dimension: Int32 = 4, dictionarySize: Int32? = nil, inputShape: (Int64, Int64)? = nil) -> Data {
        let words = ["hello", "world", "a"], buckets = 10
        var data = Data()
        append(&data, Int32(793_712_314))
        append(&data, Int32(12))
        for value in [dimension, 5, 5, 1, 5, 1, 1, 2, Int32(buckets), 3, 6, 100] { append(&data, value) }  // args
        append(&data, Double(1e-4))
        append(&data, dictionarySize ?? Int32(words.count))
        append(&data, dictionarySize ?? Int32(words.count))
        append(&data, Int32(0))  // nlabels
        append(&data, Int64(100))  // ntokens
        append(&data, Int64(-1))  // pruneidx_size
        for w in words {
            data.append(contentsOf: Array(w.utf8) + [0])
            append(&data, Int64(10))
            data.append(0)  // type: word
        }
        let rows = words.count + buckets, columns = 4  // the matrices stay 4 wide whatever `dimension` claims
        data.append(0)  // not quantized
        append(&data, inputShape?.0 ?? Int64(rows))
        append(&data, inputShape?.1 ?? Int64(columns))
        for i in 0..<(rows * columns) { append(&data, Float(i % 7) / 10) }
        data.append(0)
        append(&data, Int64(words.count))
        append(&data, Int64(columns))
        for i in 0..<(words.count * columns) { append(&data, Float(i % 5) / 10) }
        return data
    }

    /// A converted vector table (`vectors` F32, `words` U8, one word per line).
    static func table(words: [String], dimension: Int) throws -> Data {
        let path = NSTemporaryDirectory() + "table-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vectors = Tensor(shape: [words.count, dimension], values: (0..<(words.count * dimension)).map { Float($0) / 10 })
        let text = Array(words.map { $0 + "\n" }.joined().utf8)
        try SafetensorsWriter.write(["vectors": vectors], storedTensors: ["words": .init(dtype: .u8, shape: [text.count], bytes: text)],
                                     metadata: ["format": "text-transfer-word-vectors-1"], to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    private static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func append(_ data: inout Data, _ value: Float) { append(&data, value.bitPattern) }
    private static func append(_ data: inout Data, _ value: Double) { append(&data, value.bitPattern) }
}
