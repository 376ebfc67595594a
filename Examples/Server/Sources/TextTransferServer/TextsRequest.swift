import Foundation

/// A request body's texts: `{"texts": ["…", …]}` or `{"text": "…"}`, checked before any model runs.
enum TextsRequest {
    /// A client's mistake: its HTTP status and a one-line message for the JSON error body.
    struct Rejection: Error {
        let status: Int
        let message: String
    }

    static func texts(from body: Data, maxTexts: Int, maxCharacters: Int) throws(Rejection) -> [String] {
        guard String(data: body, encoding: .utf8) != nil else {
            throw Rejection(status: 400, message: "the body is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw Rejection(status: 400, message: "the body is not valid JSON: \(detail)")
        }
        guard let object = parsed as? [String: Any] else {
            throw Rejection(status: 422, message: "the body must be a JSON object with \"texts\" (a list of strings) or \"text\"")
        }
        let texts: [String]
        if let list = object["texts"] {
            guard let items = list as? [Any] else { throw Rejection(status: 422, message: "\"texts\" must be a list of strings") }
            texts = try items.enumerated().map { (index, item) throws(Rejection) -> String in
                guard let text = item as? String else { throw Rejection(status: 422, message: "texts[\(index)] is not a string") }
                return text
            }
        } else if let one = object["text"] {
            guard let text = one as? String else { throw Rejection(status: 422, message: "\"text\" must be a string") }
            texts = [text]
        } else {
            throw Rejection(status: 422, message: "missing field \"texts\" (a list of strings) or \"text\"")
        }
        guard !texts.isEmpty else { throw Rejection(status: 422, message: "\"texts\" is empty: send at least one text") }
        guard texts.count <= maxTexts else {
            throw Rejection(status: 413, message: "\(texts.count) texts: at most \(maxTexts) per request")
        }
        if let index = texts.firstIndex(where: { $0.count > maxCharacters }) {
            throw Rejection(status: 413, message: "texts[\(index)] has \(texts[index].count) characters: at most \(maxCharacters)")
        }
        return texts
    }
}

/// JSON text of a string, escaped as RFC 8259 requires.
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
