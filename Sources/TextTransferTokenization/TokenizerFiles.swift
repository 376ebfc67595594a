import Foundation
import TextTransferCore

extension BertTokenizer {
    /// Loads the tokenizer of a Hugging Face model directory: `tokenizer.json` when present, otherwise
    /// `vocab.txt` with `tokenizer_config.json`'s `do_lower_case` (default true).
    public init(directory: String) throws {
        let json = (directory as NSString).appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: json) {
            try self.init(tokenizerJSON: json)
            return
        }
        let vocabPath = (directory as NSString).appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocabPath) else {
            throw TokenizerError(file: directory, message: "no tokenizer.json or vocab.txt in the model directory")
        }
        var lowercase = true
        let configPath = (directory as NSString).appendingPathComponent("tokenizer_config.json")
        if let data = readFileContents(atPath: configPath),
           let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let value = config["do_lower_case"] as? Bool {
            lowercase = value
        }
        let wordPiece = try WordPiece(vocabulary: try Vocabulary.load(vocabTxt: vocabPath))
        try self.init(wordPiece: wordPiece, normalizer: BertNormalizer(lowercase: lowercase))
    }

    /// Reads a `tokenizer.json` with a BertNormalizer, BertPreTokenizer and WordPiece model.
    public init(tokenizerJSON path: String) throws {
        func fail(_ key: String, _ message: String) -> TokenizerError { TokenizerError(file: path, key: key, message: message) }
        guard let data = readFileContents(atPath: path) else {
            throw TokenizerError(file: path, message: "cannot read the file")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TokenizerError(file: path, message: "not a JSON object")
        }
        guard let model = root["model"] as? [String: Any] else { throw fail("model", "missing") }
        guard (model["type"] as? String) == "WordPiece" else {
            throw fail("model.type", "only WordPiece models are supported, got \(model["type"] ?? "nothing")")
        }
        guard let vocab = model["vocab"] as? [String: Any] else { throw fail("model.vocab", "missing") }
        var tokens = [String](repeating: "", count: vocab.count)
        for (token, value) in vocab {
            guard let id = value as? Int, id >= 0, id < vocab.count else {
                throw fail("model.vocab", "id of \(token) is not in 0..<\(vocab.count)")
            }
            tokens[id] = token
        }
        let vocabulary = Vocabulary(tokens: tokens, source: path)
        var normalizer = BertNormalizer()
        if let n = root["normalizer"] as? [String: Any] {
            guard (n["type"] as? String) == "BertNormalizer" else {
                throw fail("normalizer.type", "only BertNormalizer is supported, got \(n["type"] ?? "nothing")")
            }
            normalizer = BertNormalizer(
                cleanText: n["clean_text"] as? Bool ?? true, handleChineseCharacters: n["handle_chinese_chars"] as? Bool ?? true,
                stripAccents: n["strip_accents"] as? Bool, lowercase: n["lowercase"] as? Bool ?? true)
        }
        if let p = root["pre_tokenizer"] as? [String: Any], (p["type"] as? String) != "BertPreTokenizer" {
            throw fail("pre_tokenizer.type", "only BertPreTokenizer is supported, got \(p["type"] ?? "nothing")")
        }
        let unknown = model["unk_token"] as? String ?? "[UNK]"
        let wordPiece: WordPiece
        do {
            wordPiece = try WordPiece(vocabulary: vocabulary, unknownToken: unknown,
                                      continuingSubwordPrefix: model["continuing_subword_prefix"] as? String ?? "##",
                                      maxInputCharactersPerWord: model["max_input_chars_per_word"] as? Int ?? 100)
        } catch {
            throw fail("model.unk_token", "the vocabulary has no \(unknown) token")
        }
        let added = (root["added_tokens"] as? [[String: Any]] ?? [])
            .filter { ($0["normalized"] as? Bool) != true }
            .compactMap { $0["content"] as? String }
        // model2vec's static tables drop [CLS] and [SEP] from the vocabulary.
        try self.init(wordPiece: wordPiece, normalizer: normalizer, classifierToken: vocabulary.id("[CLS]") == nil ? nil : "[CLS]",
                      separatorToken: vocabulary.id("[SEP]") == nil ? nil : "[SEP]", addedTokens: added)
    }
}
