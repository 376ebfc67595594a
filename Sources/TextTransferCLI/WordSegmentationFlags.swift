import ArgumentParser
import TextTransfer

/// The flags that choose `WordSegmentationOptions`, shared by the commands that segment words.
struct WordSegmentationFlags: ParsableArguments {
    @Option(help: "ICU locale for the break rules (default: root; dictionaries for Thai, Chinese, Japanese apply in every locale).")
    var locale: String = ""
    @Flag(help: "Unicode case folding (ICU).") var caseFold = false
    @Option(help: "Unicode normalization of each word: nfc or nfkc.") var normalization: String?
    @Flag(help: "Remove combining marks (café → cafe).") var stripAccents = false
    @Flag(help: "Drop punctuation and symbols.") var dropPunctuation = false
    @Flag(help: "Drop numbers.") var dropNumbers = false
    @Flag(help: "Drop URLs (kept as single tokens otherwise).") var dropUrls = false
    @Flag(help: "Drop e-mail addresses (kept as single tokens otherwise).") var dropEmails = false
    @Flag(help: "Drop emoji.") var dropEmoji = false

    func options() throws -> WordSegmentationOptions {
        var o = WordSegmentationOptions()
        o.locale = locale
        o.caseFolding = caseFold
        if let normalization {
            guard let form = WordSegmentationOptions.NormalizationForm(rawValue: normalization.lowercased()) else {
                throw ValidationError("--normalization must be nfc or nfkc, got '\(normalization)'")
            }
            o.normalization = form
        }
        o.stripAccents = stripAccents
        o.keepPunctuation = !dropPunctuation
        o.keepNumbers = !dropNumbers
        o.keepURLs = !dropUrls
        o.keepEmails = !dropEmails
        o.keepEmoji = !dropEmoji
        return o
    }
}
