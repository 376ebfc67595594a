import Foundation
import TextTransferIO

/// Refuses an output path that is one of the run's inputs, before any work.
func refuseInputAsOutput(_ output: String?, inputs: [String]) throws {
    if let output, let input = inputs.first(where: { isSameFile($0, output) }) {
        throw InputError(message: "\(output): is \(input), an input of this run: refusing to overwrite it")
    }
}

/// Writes `value` as pretty, key-sorted JSON to `path` (atomically), when a path is given.
func writeResultJSON<T: Encodable>(_ value: T, to path: String?, inputs: [String]) throws {
    guard let path else { return }
    let json = JSONEncoder()
    json.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeOutput(try json.encode(value), to: path, inputs: inputs)
}
