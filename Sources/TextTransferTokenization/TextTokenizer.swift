/// Turns text into the ids a model reads: BERT's WordPiece tokenizer, or the word tokenizer of the
/// word-vector encoders.
public protocol TextTokenizer: Sendable {
    /// One text, truncated to `maxLength` tokens.
    func encode(_ text: String, maxLength: Int?) -> Encoding
    /// Two texts classified together.
    func encode(_ text: String, pair: String, maxLength: Int?) -> Encoding
    /// A digest of the vocabulary and settings; a saved classifier refuses a tokenizer with another.
    var fingerprint: String { get }
}

extension BertTokenizer: TextTokenizer {}
