import Foundation
import TextTransferTestSupport
import TextTransferTokenization
import XCTest

final class WordSegmentationTests: XCTestCase {
    func testThaiBoundariesAgainstWisesightHumanSegmentation() throws {
        let directory = try TestData.path("Tests/Data/wisesight")
        let segmenter = try ICUWordSegmenter()
        var score = WordBoundaryScore()
        let labelled = try String(contentsOfFile: directory + "/wisesight-1000-samples-tokenised.label", encoding: .utf8)
        var texts = 0
        for line in labelled.split(separator: "\n") {
            let gold = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            score.add(segments: segmenter.segments(gold.joined()), goldTokens: gold)
            texts += 1
        }
        print(String(format: "Wisesight-1000 (%d texts): word-boundary precision %.4f, recall %.4f, F1 %.4f",
                     texts, score.precision, score.recall, score.f1))
        XCTAssertEqual(texts, 993)
        XCTAssertGreaterThanOrEqual(score.f1, 0.85)
    }

    func testChineseAndJapaneseSegmentIntoWordsLikeTheHandCheckedFixtures() throws {
        let url = Bundle.module.url(forResource: "cjk_segmentation", withExtension: "json", subdirectory: "Fixtures")!
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let segmenter = try ICUWordSegmenter()
        for language in ["chinese", "japanese"] {
            var score = WordBoundaryScore(), characterBaseline = WordBoundaryScore()
            var multiCharacterWords = 0, found = 0
            for gold in fixture[language] as! [[String]] {
                let text = gold.joined()
                let segments = segmenter.segments(text)
                XCTAssertEqual(segments.map(\.text).joined(), text)
                score.add(segments: segments, goldTokens: gold)
                let characters = text.unicodeScalars.enumerated().map {
                    WordSegment(text: String($0.element), range: $0.offset..<($0.offset + 1), kind: .word)
                }
                characterBaseline.add(segments: characters, goldTokens: gold)
                let words = Set(segments.map(\.text))
                for word in gold where word.count > 1 {
                    multiCharacterWords += 1
                    if words.contains(word) { found += 1 }
                }
            }
            print(String(format: "%@: boundary F1 %.3f (one token per character: %.3f); %d of %d multi-character words found whole",
                         language, score.f1, characterBaseline.f1, found, multiCharacterWords))
            XCTAssertGreaterThanOrEqual(score.f1, 0.85, language)
            XCTAssertGreaterThanOrEqual(Double(found) / Double(multiCharacterWords), 0.75, language)
            XCTAssertGreaterThan(score.f1, characterBaseline.f1 + 0.1, language)
        }
    }

    func testOffsetsKindsAndWebAddresses() throws {
        let text = "Visit https://example.com/a?b=1. Mail jo.doe@example.org! 3.14 😀👍🏽 don't"
        let segments = try ICUWordSegmenter().segments(text)
        XCTAssertEqual(segments.map(\.text), ["Visit", "https://example.com/a?b=1", ".", "Mail", "jo.doe@example.org", "!", "3.14",
                                              "😀", "👍🏽", "don't"])
        XCTAssertEqual(segments.map(\.kind), [.word, .url, .punctuation, .word, .email, .punctuation, .number, .emoji, .emoji, .word])
        // Each kind alone (the scanner looks for a pattern only where its anchor is).
        XCTAssertEqual(try ICUWordSegmenter().segments("see www.example.com, or mail a@b.io.").map(\.text),
                       ["see", "www.example.com", ",", "or", "mail", "a@b.io", "."])
        XCTAssertEqual(try ICUWordSegmenter().segments("ftp://x.org/f").map(\.kind), [.url])
        let scalars = Array(text.unicodeScalars)
        for s in segments {
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[s.range])), s.text)
        }
    }

    func testOptionsRewriteAndDropTokens() throws {
        var options = WordSegmentationOptions()
        options.caseFolding = true
        options.normalization = .nfkc
        options.stripAccents = true
        options.keepPunctuation = false
        options.keepNumbers = false
        options.keepURLs = false
        options.keepEmoji = false
        let segmenter = try ICUWordSegmenter(options: options)
        // ＡＢＣ is full-width (NFKC → ABC); ß folds to ss; é loses its accent.
        XCTAssertEqual(segmenter.words("Straße, Café ＡＢＣ 42 😀 see www.example.com"), ["strasse", "cafe", "abc", "see"])
        // Offsets stay those of the input even when the text is rewritten.
        XCTAssertEqual(segmenter.segments("Straße ＡＢＣ").map(\.range), [0..<6, 7..<10])
    }

    func testEmptyAndWhitespaceTexts() throws {
        let segmenter = try ICUWordSegmenter()
        XCTAssertEqual(segmenter.segments(""), [])
        XCTAssertEqual(segmenter.segments(" \t\n "), [])
        XCTAssertEqual(try ICUSentenceSegmenter().sentences("   ").count, 0)
    }

    func testSentences() throws {
        let sentences = try ICUSentenceSegmenter().sentences("It rained. Did it? 今日は晴れ。明日は雨。")
        XCTAssertEqual(sentences.map(\.text), ["It rained. ", "Did it? ", "今日は晴れ。", "明日は雨。"])
        XCTAssertEqual(sentences.map(\.range), [0..<11, 11..<19, 19..<25, 25..<30])
        // With English abbreviation suppressions, "Mr." does not end a sentence.
        XCTAssertEqual(try ICUSentenceSegmenter(locale: "en@ss=standard").sentences("Mr. Smith left. He did.").count, 2)
    }
}
