import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// One task of a multi-task run as the command line (or a --tasks file) names it.
struct TaskSpecification: Decodable, Equatable {
    var name: String
    var train: String
    var dev: String?
    var head: ClassificationHead.Kind = .softmax
    var labels: [String]?

    enum CodingKeys: String, CodingKey { case name, train, dev, head, labels }

    init(name: String, train: String, dev: String? = nil, head: ClassificationHead.Kind = .softmax, labels: [String]? = nil) {
        (self.name, self.train, self.dev, self.head, self.labels) = (name, train, dev, head, labels)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        train = try c.decode(String.self, forKey: .train)
        dev = try c.decodeIfPresent(String.self, forKey: .dev)
        head = try c.decodeIfPresent(ClassificationHead.Kind.self, forKey: .head) ?? .softmax
        labels = try c.decodeIfPresent([String].self, forKey: .labels)
    }
}

struct TrainTaskOptions: ParsableArguments {
    @Option(name: .customLong("task"), help: ArgumentHelp(
        "A task of a multi-task run, NAME=TRAIN[:HEAD] (HEAD softmax, ordinal, multi-label or regression); repeat it per task. The tasks share the encoder, each with its own head.",
        valueName: "name=path[:head]"))
    var tasks: [String] = []
    @Option(name: .customLong("task-dev"), help: ArgumentHelp("A task's dev data, NAME=PATH (else --dev-fraction of its training data is held out).",
                                                              valueName: "name=path"))
    var taskDevs: [String] = []
    @Option(name: .customLong("task-labels"), help: ArgumentHelp("A task's class names in order, NAME=A,B,C (required for an ordinal task).",
                                                                 valueName: "name=labels"))
    var taskLabels: [String] = []
    @Option(help: "A JSON file listing the tasks instead: [{\"name\": …, \"train\": …, \"dev\": …, \"head\": …, \"labels\": […]}].")
    var tasksFile: String?
    @Option(help: "Task sampling temperature T: each epoch gives a task a share of steps ∝ its batches^(1/T) (1: by size; larger: more even).")
    var taskTemperature: Float?

    var isMultiTask: Bool { !tasks.isEmpty || tasksFile != nil }

    func validate() throws {
        if tasksFile != nil && !(tasks.isEmpty && taskDevs.isEmpty && taskLabels.isEmpty) {
            throw ValidationError("--tasks-file lists the tasks: leave out --task, --task-dev and --task-labels")
        }
        if !isMultiTask && !(taskDevs.isEmpty && taskLabels.isEmpty) { throw ValidationError("--task-dev and --task-labels need --task") }
        _ = try commandLineTasks()
    }

    func apply(to c: inout FineTuningConfiguration) {
        c.taskTemperature = taskTemperature
    }

    /// `NAME=VALUE`, split at the first '='.
    private func assignment(_ text: String, flag: String, value: String) throws -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw ValidationError("\(flag) takes NAME=\(value), not '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// The tasks of --task, --task-dev and --task-labels.
    private func commandLineTasks() throws -> [TaskSpecification] {
        var specifications: [TaskSpecification] = []
        for text in tasks {
            var (name, path) = try assignment(text, flag: "--task", value: "TRAIN[:HEAD]")
            var head = ClassificationHead.Kind.softmax
            // A trailing ":HEAD" names the head when it is one; otherwise the colon belongs to the path.
            if let colon = path.lastIndex(of: ":"), let kind = ClassificationHead.Kind(rawValue: String(path[path.index(after: colon)...])) {
                (head, path) = (kind, String(path[..<colon]))
            }
            guard !specifications.contains(where: { $0.name == name }) else { throw ValidationError("--task: '\(name)' names two tasks") }
            specifications.append(TaskSpecification(name: name, train: path, head: head))
        }
        func index(_ name: String, _ flag: String) throws -> Int {
            guard let i = specifications.firstIndex(where: { $0.name == name }) else {
                throw ValidationError("\(flag): no --task is named '\(name)'")
            }
            return i
        }
        for text in taskDevs {
            let (name, path) = try assignment(text, flag: "--task-dev", value: "PATH")
            specifications[try index(name, "--task-dev")].dev = path
        }
        for text in taskLabels {
            let (name, list) = try assignment(text, flag: "--task-labels", value: "A,B,C")
            specifications[try index(name, "--task-labels")].labels = list.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        return specifications
    }

    /// The tasks, from the command line or the --tasks-file (a one-line error naming the file otherwise).
    func specifications() throws -> [TaskSpecification] {
        guard let tasksFile else { return try commandLineTasks() }
        guard let data = readFileContents(atPath: tasksFile) else { throw InputError(message: "\(tasksFile): cannot read the tasks file") }
        do {
            let listed = try JSONDecoder().decode([TaskSpecification].self, from: data)
            guard !listed.isEmpty else { throw InputError(message: "\(tasksFile): lists no task") }
            // Relative paths are relative to the tasks file, as a project file's are.
            let folder = (tasksFile as NSString).deletingLastPathComponent
            func resolved(_ path: String) -> String { path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path) }
            return listed.map { TaskSpecification(name: $0.name, train: resolved($0.train), dev: $0.dev.map(resolved), head: $0.head, labels: $0.labels) }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(message: "\(tasksFile): not a list of tasks ({\"name\", \"train\", \"dev\", \"head\", \"labels\"}): \(describe(error))")
        }
    }
}

/// A JSON decoding error in one line: where in the document, and what.
func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case let .keyNotFound(key, context): return "\(path(context)) lacks \"\(key.stringValue)\""
    case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
        return "\(path(context).isEmpty ? "" : path(context) + ": ")\(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
