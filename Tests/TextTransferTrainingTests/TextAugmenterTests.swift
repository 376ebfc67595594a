import XCTest
import TextTransferTokenization
@testable import TextTransferTraining

/// Tang et al.'s three augmentations on ICU word boundaries: masking, same-kind replacement and n-gram
/// sampling, in English, Thai and Chinese (the last two written without spaces).
final class TextAugmenterTests: XCTestCase {
    let english = ["a dull , lifeless mess .", "the film is a quiet triumph", "a quiet , dull film", "the mess is the film"]
    let thai = ["ฉันรักภาษาไทย", "ภาษาไทยยากมาก", "ฉันรักแมว"]
    let chinese = ["我爱北京天安门", "北京很大", "我爱猫"]

    func settings(mask: Float = 0, replace: Float = 0, ngram: Float = 0) -> TextAugmenter.Settings {
        var s = TextAugmenter.Settings()
        (s.maskProbability, s.replaceProbability, s.ngramProbability) = (mask, replace, ngram)
        return s
    }

    func testMaskingEveryWordKeepsWhatStandsBetweenWords() throws {
        let augmenter = try TextAugmenter(corpus: english + thai + chinese, settings: settings(mask: 1))
        XCTAssertEqual(augmenter.augment(["a dull , lifeless mess ."], copies: 3, seed: 1), ["[MASK] [MASK] , [MASK] [MASK] ."])
        // ICU's dictionaries find ฉัน|รัก|ภาษา|ไทย and 我|爱|北京|天安门.
        XCTAssertEqual(augmenter.augment(["ฉันรักภาษาไทย"], copies: 3, seed: 1), ["[MASK][MASK][MASK][MASK]"])
        XCTAssertEqual(augmenter.augment(["我爱北京天安门"], copies: 3, seed: 1), ["[MASK][MASK][MASK][MASK]"])
    }

    func testReplacementsKeepTheKindAndScriptOfTheWord() throws {
        let augmenter = try TextAugmenter(corpus: english + thai + chinese + ["room 101 and room 7", "room 101 ?"], settings: settings(replace: 1))
        let segmenter = try ICUWordSegmenter()
        for (text, script) in [("the dull film", "Latin"), ("ภาษาไทยยากมาก", "Thai"), ("北京很大", "Han")] {
            let out = augmenter.augment([text], copies: 5, seed: 7)
            XCTAssertFalse(out.isEmpty, text)
            let scriptCode: Int32 = ["Latin": 25, "Thai": 38, "Han": 17][script]!
            for variant in out {
                XCTAssertNotEqual(variant, text)
                for word in segmenter.segments(variant) where word.kind == .word {
                    XCTAssertEqual(UnicodeScript.code(of: word.text), scriptCode, "\(variant): \(word.text) is not \(script)")
                }
            }
        }
        // A number is replaced by a number.
        for variant in augmenter.augment(["room 101"], copies: 4, seed: 3) {
            XCTAssertTrue(segmenter.segments(variant).contains { $0.kind == .number }, variant)
        }
    }

    func testNgramsAreRunsOfWholeTokensOfTheText() throws {
        let augmenter = try TextAugmenter(corpus: english + thai + chinese, settings: settings(ngram: 1))
        let segmenter = try ICUWordSegmenter()
        for text in english + thai + chinese {
            let words = segmenter.words(text)
            for variant in augmenter.augment([text], copies: 6, seed: 11) {
                XCTAssertTrue(text.contains(variant), "\(variant) is not part of \(text)")
                let n = segmenter.words(variant)
                XCTAssertTrue((1...5).contains(n.count), variant)
                XCTAssertTrue((0...(words.count - n.count)).contains { Array(words[$0..<$0 + n.count]) == n }, "\(variant) cuts a word of \(text)")
            }
        }
    }

    func testTheSameSeedGivesTheSameTextsAndNoneRepeats() throws {
        let augmenter = try TextAugmenter(corpus: english + thai + chinese)
        let texts = english + thai + chinese
        let first = augmenter.augment(texts, copies: 8, seed: 42)
        XCTAssertEqual(first, augmenter.augment(texts, copies: 8, seed: 42))
        XCTAssertNotEqual(first, augmenter.augment(texts, copies: 8, seed: 43))
        XCTAssertEqual(Set(first).count, first.count, "a text repeats")
        XCTAssertTrue(Set(first).isDisjoint(with: texts), "an original came back")
        XCTAssertLessThanOrEqual(first.count, texts.count * 8)
        XCTAssertGreaterThan(first.count, texts.count * 2)
        XCTAssertEqual(augmenter.augment(texts, copies: 0, seed: 42), [])
    }

    func testTheWordTokenizerReadsTheMaskAsOneUnknownWord() throws {
        let tokenizer = try WordTokenizer(words: [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator, "a", "mask", "film"],
                                          options: WordSegmentationOptions())
        let encoding = tokenizer.encode("a [MASK] film")
        XCTAssertEqual(encoding.ids, [3, 1, 5])
        XCTAssertEqual(encoding.offsets, [0..<1, 2..<8, 9..<13])
        XCTAssertEqual(tokenizer.encode("a mask film").ids, [3, 4, 5])
    }
}
