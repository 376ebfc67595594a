/// The lines of a text file's contents: split at LF or CRLF, a leading UTF-8 byte-order mark dropped (Excel
/// and Notepad write one). Swift compares Characters, and CRLF is one Character (a single grapheme cluster),
/// so `split(separator: "\n")` would read a Windows file as one long line.
/// Empty lines are kept, so that the index of a line is its number less one; a final line break does not
/// start another line.
package func textLines(_ text: String) -> [Substring] {
    var lines = droppingByteOrderMark(text).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}

/// `text` without a leading byte-order mark (U+FEFF, a grapheme cluster of its own).
package func droppingByteOrderMark(_ text: String) -> Substring {
    text.unicodeScalars.first == "\u{FEFF}" ? text.dropFirst() : Substring(text)
}
