import ArgumentParser
import Foundation
import TextTransfer
import TextTransferTraining

struct AutotuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autotune", abstract: "Choose the strategy and its settings within a time budget, and train the winner.",
        discussion: """
        Successive halving over frozen probes, the bag and BiLSTM encoders, SetFit (up to 1,000 examples), the top \
        two blocks, train's defaults and seeded draws of full fine-tuning settings (learning rate, epochs, layer \
        decay, label smoothing): every candidate trains on a small seeded part of the data, the best third goes on to three times \
        as many examples, and so on; when the budget has room, the winner then trains on all of --train for its whole schedule and \
        ends with the mean of its weights after epochs 2… (train --keep average), else its last trial is the model. Candidates are scored on a \
        stratified --tune-fraction of --train, never on --dev unless --select-on-dev. The budget is a hard limit, \
        the retraining included: a trial still running at its deadline stops mid-epoch. The plan comes from the data, \
        the seed and the budget, not from the clock, so two runs with one seed give the same trials and model unless \
        the budget had to cut one (the table says so).
        EXAMPLES:
          text-transfer autotune --train trec/train.tsv --budget 30m --output Models/trec-auto
          text-transfer autotune --train sst5/train.tsv --dev sst5/dev.tsv --budget 1h --output Models/sst5-auto --result-json auto.json
        """)

    @Option(help: "Labelled training data (.tsv, .csv, .jsonl).") var train: String
    @Option(help: "Labelled dev data: scores the final model (and chooses, with --select-on-dev).") var dev: String?
    @Option(help: "Stratified fraction of --train held out to choose on.") var tuneFraction: Double = 0.1
    @Flag(help: "Choose on --dev instead of a part of --train (the dev score then no longer estimates new data).") var selectOnDev = false
    @Option(help: "Wall-time limit, retraining included: 90s, 30m, 1h, 1h30m, or seconds.") var budget: String
    @Option(help: "The pretrained Transformer.") var model: String = "Models/all-MiniLM-L6-v2"
    @Option(help: "Directory to write the chosen classifier to (a classifier saved by train, an empty directory, or a new path).") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false
    @Option(help: "Seed of the splits, the drawn settings and every trial.") var seed: UInt64 = 42
    @Option(help: "Maximum tokens per text.") var maxLength: Int = 128
    @Option(help: "Write the trial table and the final result as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Compute threads; default OPENBLAS_NUM_THREADS or all cores.") var threads: Int?
    @Flag(help: "Print the plan (candidates, rungs, predicted seconds) and stop: nothing is trained or written.") var plan = false

    func validate() throws {
        guard parseDuration(budget) != nil else { throw ValidationError("--budget must be a positive duration such as 90s, 30m, 1h30m or 600, not '\(budget)'") }
        guard tuneFraction.isFinite, tuneFraction > 0, tuneFraction < 1 else { throw ValidationError("--tune-fraction must be between 0 and 1, not \(tuneFraction)") }
        if selectOnDev && dev == nil { throw ValidationError("--select-on-dev chooses on --dev: give --dev") }
    }

    func autotuneSettings() -> AutotuneSettings {
        var s = AutotuneSettings(budget: parseDuration(budget)!)  // checked in validate()
        (s.model, s.seed, s.maxLength, s.tuneFraction, s.selectOnDev) = (model, seed, maxLength, tuneFraction, selectOnDev)
        return s
    }

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            let inputs = [train, model] + (dev.map { [$0] } ?? [])
            let settings = autotuneSettings()
            if plan {
                let trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn)
                let devExamples = try dev.map { try readLabeledExamples(path: $0, textColumn: textColumn, labelColumn: labelColumn) }
                printOutput(try ExampleSetFiles(train: train, dev: dev).naming { try Autotuner(settings: settings).planDescription(train: trainExamples, dev: devExamples) })
                return
            }
            try refuseInputAsOutput(resultJson, inputs: inputs)
            let destination = try OutputDirectory.reserve(output, marker: ClassifierDescription.fileName, overwrite: overwrite, inputs: inputs)
            let trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn)
            let devExamples = try dev.map { try readLabeledExamples(path: $0, textColumn: textColumn, labelColumn: labelColumn) }
            let outcome = try ExampleSetFiles(train: train, dev: dev).naming { try Autotuner(settings: settings).run(train: trainExamples, dev: devExamples, log: { writeStandardError($0) }) }
            try outcome.tuner.save(to: destination)
            try writeResultJSON(outcome, to: resultJson, inputs: inputs)
            printOutput(outcome.table, terminator: "")
            // Without dev the tuning split's score is the winner's trial's: the refit trained on those examples.
            let scored = outcome.dev == nil ? "the tuning split (the winner's trial)" : "dev"
            let accuracy = (outcome.dev ?? outcome.result.best).map { String(format: "%.2f%%", 100 * $0.accuracy) } ?? "–"
            printOutput(String(format: "chosen: %@; trained on %d examples, accuracy on %@ %@; %.0f s of a %.0f s budget%@; saved to %@",
                               outcome.winner, outcome.examples, scored, accuracy, outcome.seconds, settings.budget,
                               outcome.budgetIntervened ? " (the budget cut or skipped trials: another machine may choose otherwise)" : "", output))
        }
    }
}

/// Seconds in "90s", "30m", "1h", "1h30m", "2m30s" or a plain number of seconds; nil for anything else.
func parseDuration(_ text: String) -> Double? {
    if let seconds = Double(text) { return seconds.isFinite && seconds > 0 ? seconds : nil }
    var total = 0.0, number = ""
    for character in text {
        if character.isNumber || character == "." { number.append(character); continue }
        guard let value = Double(number), let unit = ["h": 3600.0, "m": 60, "s": 1][String(character)] else { return nil }
        total += value * unit
        number = ""
    }
    return number.isEmpty && total > 0 && total.isFinite ? total : nil
}
