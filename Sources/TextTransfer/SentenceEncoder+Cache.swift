import Foundation
import TextTransferTokenization

extension SentenceEncoder {
    /// The embeddings of `texts`, kept in `cache` (a directory) as they are computed, so that the next run
    /// over the same texts with the same model skips the encoder. Each set is named by its texts, so its
    /// features serve it in any role (IMDB as source, then as target). `name` labels the progress lines.
    func embed(_ texts: [String], cache: String?, encoderDirectory: String, name: String, log: (String) -> Void) throws -> [[Float]] {
        var digest = Fingerprint()
        for t in texts { digest.mix(t) }
        let store = cache.map { TeacherLogitCache(directory: $0, teacher: encoderDirectory, texts: texts, pairs: nil, classes: dimension,
                                                  name: "features-" + digest.hex.prefix(16)) }
        var rows = try store?.resume() ?? []
        if !rows.isEmpty { log("\(name): the features of \(rows.count) of \(texts.count) texts come from \(cache!)") }
        while rows.count < texts.count {
            let chunk = embed(Array(texts[rows.count..<min(rows.count + 2048, texts.count)]))
            try store?.append(chunk)
            rows += chunk
            log("\(name): features of \(rows.count) of \(texts.count) texts")
        }
        return rows
    }
}
