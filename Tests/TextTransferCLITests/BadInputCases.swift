import Foundation
import TextTransferCore
import TextTransferIO

/// The cases of the bad-input matrix, by group: flag values, output paths, data files, word-vector files,
/// model directories, tampered classifiers, tampered checkpoints, standard streams.
extension BadInputMatrixTests {
    typealias F = BadInputFixtures

    static func cases() -> [Case] {
        flagCases() + taskCases() + distillCases() + outputCases() + dataCases() + vectorCases() + modelCases() + classifierCases() + checkpointCases() + streamCases()
    }

    static func train(_ extra: [String] = [], output: String = "@dir/out", train: String? = nil, model: String? = nil) -> [String] {
        F.trainArguments(base: "@base", output: output, train: train, model: model) + extra
    }

    // MARK: flag values, each named in the message

    static func flagCases() -> [Case] {
        let values: [(flag: String, bad: [String], extra: [String])] = [
            ("--dev-fraction", ["nan", "inf", "1e300", "0", "1", "-0.5"], []),
            ("--tune-fraction", ["nan", "0", "1", "2"], []),
            ("--limit", ["-1", "0"], []),
            ("--shots", ["0", "-1"], []),
            ("--pair-rounds", ["0", "-1"], ["--strategy", "setfit"]),
            ("--pair-batch-size", ["0"], ["--strategy", "setfit"]),
            ("--pair-lr", ["nan", "-1"], ["--strategy", "setfit"]),
            ("--evaluate-every", ["0", "-3"], []),
            ("--checkpoint-every", ["0"], []),
            ("--dropout", ["1", "1.5", "nan", "-0.1"], []),
            ("--warmup", ["nan", "2", "-1"], []),
            ("--layer-decay", ["nan", "0", "-1", "inf"], []),
            ("--lr", ["nan", "inf", "-1"], []),
            ("--head-lr", ["inf", "nan", "-0.5"], []),
            ("--weight-decay", ["nan", "-1"], []),
            ("--epochs", ["0", "-1", "abc"], []),
            ("--batch-size", ["0", "-8"], []),
            ("--max-length", ["1", "0", "17", "100000"], []),
            ("--feature-epochs", ["-1", "0"], ["--strategy", "feature-extraction"]),
            ("--label-smoothing", ["1", "nan", "-0.2"], []),
            ("--l2-sp", ["0", "nan", "-1"], []),
            ("--threads", ["0", "-2"], []),
            ("--patience", ["0"], []),
            ("--hidden", ["0", "100000"], ["--encoder", "bilstm"]),
            ("--embedding-width", ["0"], ["--encoder", "bilstm", "--word-tokens"]),
            ("--min-word-count", ["0"], ["--encoder", "bilstm", "--word-tokens"]),
            ("--unfreeze-embeddings-after", ["-1"], ["--encoder", "bilstm"]),
            ("--vector-words", ["-1"], ["--encoder", "bilstm", "--embeddings", "@base/glove.txt"]),
            ("--keep", ["first"], []),
            ("--average-from", ["0", "9"], ["--keep", "average"]),
            ("--feature-solver", ["sgd"], ["--strategy", "feature-extraction"]),
            ("--class-weights", ["bogus"], []),
            ("--head", ["bogus"], []),
            ("--pooling", ["bogus"], []),
            ("--strategy", ["bogus", "top-k:0", "top-k:x"], []),
            ("--encoder", ["bogus"], []),
            ("--label-separator", ["||"], []),
            ("--labels", [",", "pos,pos", "pos,,neg", "pos,neg,"], []),
            ("--seed", ["-1"], []),
        ]
        var cases: [Case] = []
        for (flag, bad, extra) in values {
            for value in bad {
                cases.append(Case(name: "train \(flag)=\(value)", arguments: train(extra + ["\(flag)=\(value)"]), expect: [flag]))
            }
        }
        cases.append(Case(name: "train --pooling pooler --normalize true", arguments: train(["--pooling", "pooler", "--normalize", "true"]),
                          expect: ["--normalize"]))
        cases.append(Case(name: "train --average-from without --keep average", arguments: train(["--average-from", "1"]), expect: ["--average-from"]))
        cases.append(Case(name: "train --keep average of a head fitted once", arguments: train(["--keep", "average", "--strategy", "feature-extraction"]),
                          expect: ["--keep", "feature-extraction"]))
        cases.append(Case(name: "train --embeddings without a word encoder", arguments: train(["--embeddings", "@base/glove.txt"]),
                          expect: ["--embeddings"]))
        for (command, flag, value) in [("embed", "--batch-size", "0"), ("embed", "--threads", "0"), ("embed", "--pooling", "bogus"),
                                       ("embed", "--format", "xml"), ("predict", "--threads", "0"), ("predict", "--top-k", "0"),
                                       ("evaluate", "--threads", "0"), ("tokenize", "--max-length", "1")] {
            var arguments = [command, "--model", command == "predict" || command == "evaluate" ? "@base/cls" : "@base/tiny", "\(flag)=\(value)"]
            if command == "evaluate" { arguments += ["--data", "@base/dev.tsv"] }
            if command == "predict" { arguments += ["hello a"] }
            cases.append(Case(name: "\(command) \(flag)=\(value)", arguments: arguments, expect: [flag], stdin: "hello a\n"))
        }
        for (name, arguments) in [("bench embed", ["bench", "embed", "--model", "@base/tiny", "--input", "@base/texts.txt"]),
                                  ("bench tokenize", ["bench", "tokenize", "--model", "@base/tiny", "--input", "@base/texts.txt"]),
                                  ("bench train", ["bench", "train", "--model", "@base/tiny", "--train", "@base/train.tsv"]),
                                  ("bench vectors", ["bench", "vectors", "--embeddings", "@base/glove.txt", "--vocabulary", "@base/texts.txt",
                                                     "--table", "@dir/t.safetensors"])] {
            for runs in ["0", "-1"] {
                cases.append(Case(name: "\(name) --runs=\(runs)", arguments: arguments + ["--runs=\(runs)"], expect: ["--runs"]))
            }
        }
        cases.append(Case(name: "embed --max-length beyond the model's positions", arguments: ["embed", "--model", "@base/tiny", "--max-length", "17"],
                          expect: ["@base/tiny", "max_seq_length"], stdin: "hello\n"))
        return cases
    }

    // MARK: multi-task flags and files

    static func taskCases() -> [Case] {
        let common = ["train", "--model", "@base/tiny", "--output", "@dir/out", "--epochs", "1", "--max-length", "16", "--threads", "1"]
        let two = ["--task", "a=@base/train.tsv", "--task", "b=@base/train.tsv"]
        return [
            Case(name: "train --task without NAME=", arguments: common + ["--task", "@base/train.tsv"], expect: ["--task", "NAME="]),
            Case(name: "train --task with an empty path", arguments: common + ["--task", "a="], expect: ["--task", "NAME="]),
            Case(name: "train --task named twice", arguments: common + ["--task", "a=@base/train.tsv", "--task", "a=@base/dev.tsv"],
                 expect: ["--task", "'a' names two tasks"]),
            Case(name: "train --task with a name that is no parameter name", arguments: common + ["--task", "a b=@base/train.tsv"],
                 expect: ["--task", "'a b'"]),
            Case(name: "train --task and --train", arguments: common + two + ["--train", "@base/train.tsv"], expect: ["--train", "--task"]),
            Case(name: "train --task and --head", arguments: common + two + ["--head", "ordinal"], expect: ["--head", "--task"]),
            Case(name: "train --task-dev for no task", arguments: common + two + ["--task-dev", "c=@base/dev.tsv"], expect: ["--task-dev", "'c'"]),
            Case(name: "train --task-dev without --task", arguments: train(["--task-dev", "a=@base/dev.tsv"]), expect: ["--task-dev", "--task"]),
            Case(name: "train --task with a missing file", arguments: common + ["--task", "a=@dir/none.tsv", "--task", "b=@base/train.tsv"],
                 expect: ["@dir/none.tsv"]),
            Case(name: "train --task ordinal without labels", arguments: common + ["--task", "a=@base/train.tsv:ordinal", "--task", "b=@base/train.tsv"],
                 expect: ["the labels of task a", "ordinal"]),
            Case(name: "train --task-labels missing a training label", arguments: common + two + ["--task-labels", "a=pos,other"],
                 expect: ["@base/train.tsv:", "'neg'", "the labels of task a"]),
            Case(name: "train --task-labels with an empty class", arguments: common + two + ["--task-labels", "a=pos,,neg"],
                 expect: ["none of them empty"]),
            Case(name: "train --task-temperature=0", arguments: common + two + ["--task-temperature=0"], expect: ["--task-temperature"]),
            Case(name: "train --task-temperature=nan", arguments: common + two + ["--task-temperature=nan"], expect: ["--task-temperature"]),
            Case(name: "train --task with --strategy feature-extraction", arguments: common + two + ["--strategy", "feature-extraction"],
                 expect: ["--task", "feature extraction"]),
            Case(name: "train --task with --encoder bilstm", arguments: common + two + ["--encoder", "bilstm"], expect: ["--task", "bilstm"]),
            Case(name: "train --tasks-file that is not JSON", arguments: common + ["--tasks-file", "@dir/tasks.json"],
                 expect: ["@dir/tasks.json", "not a list of tasks"], prepare: { _, dir in try F.write("name: a", dir + "/tasks.json") }),
            Case(name: "train --tasks-file without a train path", arguments: common + ["--tasks-file", "@dir/tasks.json"],
                 expect: ["@dir/tasks.json", "[0]", "\"train\""], prepare: { _, dir in try F.write(#"[{"name": "a"}]"#, dir + "/tasks.json") }),
            Case(name: "train --tasks-file with an unknown head", arguments: common + ["--tasks-file", "@dir/tasks.json"],
                 expect: ["@dir/tasks.json", "head"],
                 prepare: { base, dir in try F.write(#"[{"name": "a", "train": "\#(base)/train.tsv", "head": "bogus"}]"#, dir + "/tasks.json") }),
            Case(name: "train --tasks-file listing no task", arguments: common + ["--tasks-file", "@dir/tasks.json"],
                 expect: ["@dir/tasks.json", "no task"], prepare: { _, dir in try F.write("[]", dir + "/tasks.json") }),
            Case(name: "train --tasks-file that does not exist", arguments: common + ["--tasks-file", "@dir/none.json"], expect: ["@dir/none.json"]),
            Case(name: "predict --task of a single-task classifier", arguments: ["predict", "--model", "@base/cls", "--task", "a", "hello a"],
                 expect: ["@base/cls", "single-task"]),
        ]
    }

    // MARK: distill's flags and teachers

    static func distillCases() -> [Case] {
        let common = ["distill", "--teacher", "@base/cls", "--train", "@base/train.tsv", "--dev", "@base/dev.tsv", "--output", "@dir/student",
                      "--epochs", "1", "--threads", "1", "--student", "bag"]
        return [
            Case(name: "distill --student=bogus", arguments: common + ["--student=bogus"], expect: ["--student"]),
            Case(name: "distill --alpha=2", arguments: common + ["--alpha=2"], expect: ["--alpha"]),
            Case(name: "distill --alpha=nan", arguments: common + ["--alpha=nan"], expect: ["--alpha"]),
            Case(name: "distill --temperature=0", arguments: common + ["--temperature=0"], expect: ["--temperature"]),
            Case(name: "distill --soft-loss=bogus", arguments: common + ["--soft-loss=bogus"], expect: ["--soft-loss"]),
            Case(name: "distill --student transformer:1 of a one-layer teacher", arguments: common + ["--student", "transformer:1"], expect: ["--student", "the teacher has 1 layer"]),
            Case(name: "distill --student transformer:x", arguments: common + ["--student", "transformer:x"], expect: ["--student"]),
            Case(name: "distill --student static --embeddings", arguments: common + ["--student", "static", "--embeddings", "@base/train.tsv"], expect: ["--embeddings"]),
            Case(name: "distill --student static --word-tokens", arguments: common + ["--student", "static", "--word-tokens"], expect: ["--word-tokens"]),
            Case(name: "distill --teacher-word-vectors --word-tokens", arguments: common + ["--teacher-word-vectors", "--word-tokens"], expect: ["--teacher-word-vectors", "--word-tokens"]),
            Case(name: "distill --student static --teacher-word-vectors", arguments: common + ["--student", "static", "--teacher-word-vectors"], expect: ["--teacher-word-vectors"]),
            Case(name: "distill --keep=bogus", arguments: common + ["--keep=bogus"], expect: ["--keep"]),
            Case(name: "distill --hidden-weight=-1", arguments: common + ["--student", "transformer:1", "--hidden-weight=-1"], expect: ["--hidden-weight"]),
            Case(name: "distill --hidden-weight for a bag student", arguments: common + ["--hidden-weight", "0.5"], expect: ["--hidden-weight", "bag"]),
            Case(name: "distill --lr=0", arguments: common + ["--lr=0"], expect: ["--lr"]),
            Case(name: "distill-embeddings --dimensions=0", arguments: ["distill-embeddings", "--model", "@base/tiny", "--output", "@dir/static", "--dimensions=0"],
                 expect: ["--dimensions"]),
            Case(name: "distill-embeddings --sif-coefficient=1", arguments: ["distill-embeddings", "--model", "@base/tiny", "--output", "@dir/static", "--sif-coefficient=1"],
                 expect: ["--sif-coefficient"]),
            Case(name: "distill-embeddings --output onto the pretrained model", arguments: ["distill-embeddings", "--model", "@base/tiny", "--output", "@base/tiny"],
                 expect: ["@base/tiny"]),
            Case(name: "distill-embeddings --model that is a bag classifier", arguments: ["distill-embeddings", "--model", "@base/bag", "--output", "@dir/static"],
                 expect: ["@base/bag", "encoder"]),
            Case(name: "embed --pooling cls of a static model", arguments: ["embed", "--model", "@base/static", "--pooling", "cls"], expect: ["--pooling", "static"]),
            Case(name: "distill --augment=-1", arguments: common + ["--augment=-1"], expect: ["--augment"]),
            Case(name: "distill --ngram-probability=nan", arguments: common + ["--ngram-probability=nan"], expect: ["--ngram-probability"]),
            Case(name: "distill --mask-probability 0.7 --replace-probability 0.5", arguments: common + ["--mask-probability=0.7", "--replace-probability=0.5"],
                 expect: ["--mask-probability", "--replace-probability"]),
            Case(name: "distill --teacher that is a pretrained model", arguments: common + ["--teacher", "@base/tiny"],
                 expect: ["@base/tiny", "text_transfer.json"]),
            Case(name: "distill --teacher that does not exist", arguments: common + ["--teacher", "@dir/none"], expect: ["@dir/none"]),
            Case(name: "distill --unlabeled that does not exist", arguments: common + ["--unlabeled", "@dir/none.txt"], expect: ["@dir/none.txt"]),
            Case(name: "distill --train with a label the teacher lacks", arguments: common + ["--train", "@dir/other.tsv"],
                 expect: ["@dir/other.tsv", "'other'"], prepare: { _, dir in try F.write("label\ttext\nother\thello a\npos\thello b\n", dir + "/other.tsv") }),
            Case(name: "distill --output onto the teacher", arguments: common + ["--teacher", "@dir/cls", "--output", "@dir/cls"], expect: ["@dir/cls", "an input of this run"],
                 prepare: { base, dir in try F.copy(base + "/cls", dir + "/cls") }),
        ]
    }

    // MARK: outputs that must not be replaced

    static func outputCases() -> [Case] {
        [
            Case(name: "train --output onto a regular file", arguments: train(output: "@dir/model.bin"), expect: ["@dir/model.bin", "is a file"],
                 prepare: { _, dir in try F.write("precious", dir + "/model.bin") }),
            Case(name: "train --output onto its own training file", arguments: train(output: "@dir/train.tsv", train: "@dir/train.tsv"),
                 expect: ["@dir/train.tsv", "refusing"], prepare: { base, dir in try F.copy(base + "/train.tsv", dir + "/train.tsv") }),
            Case(name: "train --output onto a folder of other files", arguments: train(output: "@dir/project", train: "@dir/project/train.tsv"),
                 expect: ["@dir/project", "refusing"], prepare: { base, dir in
                     try FileManager.default.createDirectory(atPath: dir + "/project", withIntermediateDirectories: false)
                     try F.copy(base + "/train.tsv", dir + "/project/train.tsv")
                 }),
            Case(name: "train --output onto a folder of other files, trailing slash", arguments: train(output: "@dir/notes/"),
                 expect: ["@dir/notes", "without text_transfer.json"], prepare: { _, dir in try F.write("mine", dir + "/notes/readme.txt") }),
            Case(name: "train --output onto the pretrained model", arguments: train(output: "@dir/model", model: "@dir/model"),
                 expect: ["@dir/model", "refusing"], prepare: { base, dir in try F.copy(base + "/tiny", dir + "/model") }),
            Case(name: "train --output onto a classifier it starts from", arguments: train(output: "@dir/cls/", model: "@dir/cls"),
                 expect: ["@dir/cls", "an input of this run"], prepare: { base, dir in try F.copy(base + "/cls", dir + "/cls") }),
            Case(name: "train --output onto a link to a classifier", arguments: train(output: "@dir/link"), expect: ["@dir/link", "symbolic link"],
                 prepare: { base, dir in
                     try F.copy(base + "/cls", dir + "/cls")
                     try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/cls")
                 }),
            Case(name: "train --output /", arguments: train(output: "/"), expect: ["/", "not a path"]),
            Case(name: "train --output .", arguments: train(output: "@dir/."), expect: ["not a path"]),
            Case(name: "train --output below a file", arguments: train(output: "@dir/file.bin/out"), expect: ["@dir/file.bin"],
                 prepare: { _, dir in try F.write("precious", dir + "/file.bin") }),
            Case(name: "train --result-json onto the training file", arguments: train(["--result-json", "@dir/train.tsv"], train: "@dir/train.tsv"),
                 expect: ["@dir/train.tsv", "an input of this run"], prepare: { base, dir in try F.copy(base + "/train.tsv", dir + "/train.tsv") }),
            Case(name: "train --plot onto a file", arguments: train(["--plot", "@dir/plots"]), expect: ["@dir/plots", "--plot"],
                 prepare: { _, dir in try F.write("not a folder", dir + "/plots") }),
            Case(name: "train --log-json onto the dev file", arguments: train(["--dev", "@dir/dev.tsv", "--log-json", "@dir/dev.tsv"]),
                 expect: ["@dir/dev.tsv", "an input of this run"], prepare: { base, dir in try F.copy(base + "/dev.tsv", dir + "/dev.tsv") }),
            Case(name: "embed --output onto its --input", arguments: ["embed", "--model", "@base/tiny", "--input", "@dir/t.txt", "--output", "@dir/t.txt"],
                 expect: ["@dir/t.txt", "an input of this run"], prepare: { base, dir in try F.copy(base + "/texts.txt", dir + "/t.txt") }),
            Case(name: "embed --output onto a directory", arguments: ["embed", "--model", "@base/tiny", "--input", "@base/texts.txt", "--output", "@dir"],
                 expect: ["@dir", "is a directory"]),
            Case(name: "convert --output onto its input table", arguments: ["convert", "--embeddings", "@dir/t.safetensors", "--output", "@dir/t.safetensors"],
                 expect: ["@dir/t.safetensors", "an input of this run"], prepare: { base, dir in try F.copy(base + "/table.safetensors", dir + "/t.safetensors") }),
            Case(name: "convert --output onto a directory", arguments: ["convert", "--embeddings", "@base/glove.txt", "--output", "@dir/d.safetensors"],
                 expect: ["@dir/d.safetensors", "is a directory"],
                 prepare: { _, dir in try FileManager.default.createDirectory(atPath: dir + "/d.safetensors", withIntermediateDirectories: false) }),
            Case(name: "evaluate --json onto its --data", arguments: ["evaluate", "--model", "@base/cls", "--data", "@dir/dev.tsv", "--json", "@dir/dev.tsv"],
                 expect: ["@dir/dev.tsv", "an input of this run"], prepare: { base, dir in try F.copy(base + "/dev.tsv", dir + "/dev.tsv") }),
            Case(name: "predict --output onto its --input", arguments: ["predict", "--model", "@base/cls", "--input", "@dir/t.txt", "--output", "@dir/t.txt"],
                 expect: ["@dir/t.txt", "an input of this run"], prepare: { base, dir in try F.copy(base + "/texts.txt", dir + "/t.txt") }),
            Case(name: "predict --input-format unknown", arguments: ["predict", "--model", "@base/cls", "--input", "@base/texts.txt", "--input-format", "xml"],
                 expect: ["--input-format"]),
            Case(name: "predict --id-column on a file of lines", arguments: ["predict", "--model", "@base/cls", "--input", "@base/texts.txt", "--id-column", "id"],
                 expect: ["@base/texts.txt", "--id-column"]),
            Case(name: "export --output onto a folder of other files", arguments: ["export", "--model", "@base/cls", "--output", "@dir/mine"],
                 expect: ["@dir/mine", "without text_transfer_export.json"], prepare: { _, dir in try F.write("mine", dir + "/mine/notes.txt") }),
            Case(name: "export --output onto its classifier", arguments: ["export", "--model", "@dir/cls", "--output", "@dir/cls", "--overwrite"],
                 expect: ["@dir/cls", "an input of this run"], prepare: { base, dir in try F.copy(base + "/cls", dir + "/cls") }),
            Case(name: "export of a bag classifier", arguments: ["export", "--model", "@base/bag", "--output", "@dir/hf"],
                 expect: ["@base/bag/text_transfer.json", "encoder", "bag"]),
            Case(name: "export --format unknown", arguments: ["export", "--model", "@base/cls", "--output", "@dir/hf", "--format", "onnx"],
                 expect: ["--format"]),
            Case(name: "predict --precision unknown", arguments: ["predict", "--model", "@base/cls", "--precision", "fp16", "hello"],
                 expect: ["--precision"]),
            Case(name: "predict --precision int8 on a bag classifier", arguments: ["predict", "--model", "@base/bag", "--precision", "int8", "hello"],
                 expect: ["@base/bag/text_transfer.json", "encoder", "fp32 only"]),
            Case(name: "embed --precision bf16 on a static model", arguments: ["embed", "--model", "@base/static", "--precision", "bf16"],
                 expect: ["--precision", "static"]),
        ]
    }

    // MARK: data files

    static func dataCases() -> [Case] {
        func data(_ name: String, _ file: String, _ contents: Data, expect: [String]) -> Case {
            Case(name: name, arguments: train(train: "@dir/" + file), expect: ["@dir/" + file] + expect,
                 prepare: { _, dir in try contents.write(to: URL(fileURLWithPath: dir + "/" + file)) })
        }
        let adapt = ["adapt", "--model", "@base/tiny", "--source", "@base/train.tsv", "--target", "@base/dev.tsv", "--dev", "@base/dev.tsv", "--threads", "1"]
        let domains = ["domains", "--model", "@base/tiny", "--source", "@base/train.tsv", "--target", "@base/dev.tsv", "--threads", "1"]
        var invalid = Data("label\ttext\npos\thello a\nneg\tworld ".utf8)
        invalid.append(0xFF)
        return [
            Case(name: "train file missing", arguments: train(train: "@dir/absent.tsv"), expect: ["@dir/absent.tsv"]),
            data("train file empty", "empty.tsv", Data(), expect: []),
            data("train file header only", "header.tsv", Data("label\ttext\n".utf8), expect: ["no examples"]),
            data("train file without a label column", "nolabel.tsv", Data("text\nhello a\n".utf8), expect: ["label"]),
            data("train file with invalid UTF-8", "utf8.tsv", invalid, expect: [":3"]),
            data("CSV row with an unclosed quote", "quote.csv", Data("label,text\npos,hello a\nneg,\"world b\n".utf8), expect: [":3"]),
            data("JSON Lines row that is not JSON", "bad.jsonl", Data("{\"text\": \"hello a\", \"label\": \"pos\"}\n{\"text\": \n".utf8), expect: [":2"]),
            data("JSON Lines row without its label", "nolabel.jsonl", Data("{\"text\": \"hello a\", \"label\": \"pos\"}\n{\"text\": \"world\"}\n".utf8),
                 expect: [":2", "label"]),
            data("train file with one class", "oneclass.tsv", Data("label\ttext\npos\thello a\npos\thello b\n".utf8), expect: ["two labels"]),
            Case(name: "train --dev missing", arguments: train(["--dev", "@dir/absent.tsv"]), expect: ["@dir/absent.tsv"]),
            Case(name: "domains --max-examples=1", arguments: domains + ["--max-examples=1"], expect: ["--max-examples"]),
            Case(name: "domains --permutations=-1", arguments: domains + ["--permutations=-1"], expect: ["--permutations"]),
            Case(name: "domains --target with a row without its label", arguments: domains + ["--target", "@dir/t.tsv"], expect: ["@dir/t.tsv:3"],
                 prepare: { _, dir in try F.write("label\ttext\npos\thello a\nworld b\n", dir + "/t.tsv") }),
            Case(name: "domains --target of one text", arguments: domains + ["--target", "@dir/one.txt"], expect: ["@dir/one.txt", "at least 2"],
                 prepare: { _, dir in try F.write("hello a\n", dir + "/one.txt") }),
            Case(name: "domains --source missing", arguments: domains + ["--source", "@dir/none.tsv"], expect: ["@dir/none.tsv"]),
            Case(name: "domains --result-json onto its source", arguments: domains + ["--source", "@dir/s.tsv", "--result-json", "@dir/s.tsv"],
                 expect: ["@dir/s.tsv", "an input of this run"], prepare: { base, dir in try F.copy(base + "/train.tsv", dir + "/s.tsv") }),
            Case(name: "adapt --landmarks=1", arguments: adapt + ["--landmarks=1"], expect: ["--landmarks"]),
            Case(name: "adapt --max-source=1", arguments: adapt + ["--max-source=1"], expect: ["--max-source"]),
            Case(name: "adapt --dev with a label the source lacks", arguments: adapt + ["--dev", "@dir/d.tsv"], expect: ["@dir/d.tsv:3", "maybe"],
                 prepare: { _, dir in try F.write("label\ttext\npos\thello a\nmaybe\tworld\n", dir + "/d.tsv") }),
            Case(name: "adapt --source missing", arguments: adapt + ["--source", "@dir/none.tsv"], expect: ["@dir/none.tsv"]),
            Case(name: "evaluate on a label the classifier does not know", arguments: ["evaluate", "--model", "@base/cls", "--data", "@dir/d.tsv"],
                 expect: ["@dir/d.tsv:3", "maybe"], prepare: { _, dir in try F.write("label\ttext\npos\thello a\nmaybe\tworld\n", dir + "/d.tsv") }),
            Case(name: "predict --input with invalid UTF-8", arguments: ["predict", "--model", "@base/cls", "--input", "@dir/in.txt"],
                 expect: ["@dir/in.txt:2", "UTF-8"], prepare: { _, dir in
                     var bytes = Data("hello\nworld ".utf8)
                     bytes.append(0xC3)
                     try bytes.write(to: URL(fileURLWithPath: dir + "/in.txt"))
                 }),
        ]
    }

    // MARK: word-vector files

    static func vectorCases() -> [Case] {
        func convert(_ name: String, _ file: String, _ contents: @escaping @Sendable () throws -> Data, expect: [String]) -> Case {
            Case(name: name, arguments: ["convert", "--embeddings", "@dir/" + file, "--output", "@dir/out.safetensors"], expect: ["@dir/" + file] + expect,
                 prepare: { _, dir in try contents().write(to: URL(fileURLWithPath: dir + "/" + file)) })
        }
        let glove = "hello 0.1 0.2\nworld 0.3 x\n"
        let wide = "wide " + Array(repeating: "0.1", count: 70_000).joined(separator: " ") + "\n"
        return [
            convert("word2vec .bin with dimension 10^12", "a.bin", { VectorFileBytes.word2vec(header: "2 1000000000000") }, expect: ["byte 0"]),
            convert("word2vec .bin with dimension 2^62", "b.bin", { VectorFileBytes.word2vec(header: "2 4611686018427387904") }, expect: ["byte 0"]),
            convert("word2vec .bin with 2^62 rows", "c.bin", { VectorFileBytes.word2vec(header: "4611686018427387904 4") }, expect: ["truncated"]),
            convert("word2vec .bin with a negative count", "d.bin", { VectorFileBytes.word2vec(header: "-1 4") }, expect: [":2"]),
            convert("word2vec .bin truncated inside a vector", "e.bin", { VectorFileBytes.word2vec(header: "2 4").dropLast(5) }, expect: ["truncated"]),
            convert("word2vec text header with dimension 10^6", "f.txt", { Data("2 1000000\nhello 0.1\n".utf8) }, expect: [":1"]),
            convert("GloVe row of 70,000 values", "g.txt", { Data(wide.utf8) }, expect: [":1", "65536"]),
            convert("GloVe value that is not a number", "h.txt", { Data(glove.utf8) }, expect: [":2"]),
            convert("fastText .bin with dimension 2^31-1", "i.bin", { VectorFileBytes.fastText(dimension: Int32.max) }, expect: ["dim"]),
            convert("fastText .bin input matrix (2^31, 2^31)", "j.bin", { VectorFileBytes.fastText(inputShape: (1 << 31, 1 << 31)) }, expect: ["input matrix"]),
            convert("fastText .bin with 2^31-1 dictionary entries", "k.bin", { VectorFileBytes.fastText(dictionarySize: Int32.max) }, expect: ["dictionary entry"]),
            convert("fastText .bin truncated in the dictionary", "l.bin", { VectorFileBytes.fastText().prefix(90) }, expect: ["truncated"]),
            Case(name: "convert a vector table with a duplicate word", arguments: ["convert", "--embeddings", "@base/duplicate.safetensors", "--output", "@dir/out.safetensors"],
                 expect: ["@base/duplicate.safetensors", "'hello' twice"]),
            Case(name: "vectors of a word in a table with a duplicate word", arguments: ["vectors", "--embeddings", "@base/duplicate.safetensors", "hello"],
                 expect: ["@base/duplicate.safetensors", "'hello' twice"]),
            Case(name: "train --embeddings with a GloVe row of 70,000 values",
                 arguments: train(["--encoder", "bilstm", "--embeddings", "@dir/wide.txt", "--hidden", "4"]), expect: ["@dir/wide.txt:1", "65536"],
                 prepare: { _, dir in try F.write(wide, dir + "/wide.txt") }),
            Case(name: "train --embeddings with a 10^12-wide word2vec .bin",
                 arguments: train(["--encoder", "bilstm", "--embeddings", "@dir/x.bin", "--hidden", "4"]), expect: ["@dir/x.bin", "byte 0"],
                 prepare: { _, dir in try VectorFileBytes.word2vec(header: "2 1000000000000").write(to: URL(fileURLWithPath: dir + "/x.bin")) }),
        ]
    }

    // MARK: model directories

    static func modelCases() -> [Case] {
        func variant(_ name: String, command: [String], expect: [String], stdin: String? = "hello\n",
                     change: @escaping @Sendable (_ dir: String) throws -> Void) -> Case {
            Case(name: name, arguments: command, expect: expect, prepare: { base, dir in
                try F.copy(base + "/tiny", dir + "/model")
                try change(dir + "/model")
            }, stdin: stdin)
        }
        let embed = ["embed", "--model", "@dir/model"]
        func config(_ key: String, _ value: Int) -> @Sendable (String) throws -> Void {
            { dir in try F.editJSON(dir + "/config.json") { $0[key] = value } }
        }
        return [
            variant("config.json with 10^12 layers", command: embed, expect: ["@dir/model/config.json", "num_hidden_layers"],
                    change: config("num_hidden_layers", 1_000_000_000_000)),
            variant("config.json with 10^18 layers", command: embed, expect: ["@dir/model/config.json", "num_hidden_layers"],
                    change: config("num_hidden_layers", 1_000_000_000_000_000_000)),
            variant("train a model whose config.json has 10^12 layers", command: train(model: "@dir/model"),
                    expect: ["@dir/model/config.json", "num_hidden_layers"], stdin: nil, change: config("num_hidden_layers", 1_000_000_000_000)),
            variant("config.json with hidden size 0", command: embed, expect: ["@dir/model/config.json", "hidden_size"], change: config("hidden_size", 0)),
            variant("config.json with 2^40 positions", command: embed, expect: ["@dir/model/config.json", "max_position_embeddings"],
                    change: config("max_position_embeddings", 1 << 40)),
            variant("train with a vocab.txt longer than the embedding table", command: train(model: "@dir/model"),
                    expect: ["@dir/model/config.json", "vocab_size"], stdin: nil) { dir in
                let extra = (0..<5).map { "zq\($0)" }.joined(separator: "\n")
                try F.write(try String(contentsOfFile: dir + "/vocab.txt", encoding: .utf8) + extra + "\n", dir + "/vocab.txt")
            },
            variant("model.safetensors missing", command: embed, expect: ["@dir/model/model.safetensors"]) { dir in
                try FileManager.default.removeItem(atPath: dir + "/model.safetensors")
            },
            variant("model.safetensors truncated", command: embed, expect: ["@dir/model/model.safetensors"]) { dir in
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/model.safetensors"))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: dir + "/model.safetensors"))
            },
            variant("train --model without config.json", command: train(model: "@dir/model"), expect: ["@dir/model"], stdin: nil) { dir in
                try FileManager.default.removeItem(atPath: dir + "/config.json")
            },
            variant("an int8 weights file with a weight but not its scales", command: embed,
                    expect: ["@dir/model/model.int8.safetensors", "encoder.layer.0.attention.self.query.weight", "_scale"]) { dir in
                let key = "encoder.layer.0.attention.self.query.weight"
                let reader = try SafetensorsReader(path: dir + "/model.safetensors")
                var tensors: [String: Tensor] = [:]
                for name in reader.names where name != key { tensors[name] = try reader.tensor(name) }
                let shape = reader.entries[key]!.shape
                let quantized = SafetensorsWriter.StoredTensor(dtype: .i8, shape: shape, bytes: [UInt8](repeating: 1, count: shape.reduce(1, *)))
                try SafetensorsWriter.write(tensors, storedTensors: [key: quantized], to: dir + "/model.int8.safetensors")
                try FileManager.default.removeItem(atPath: dir + "/model.safetensors")
            },
            variant("both a bf16 and an int8 weights file and no fp32 one", command: embed, expect: ["@dir/model/model.safetensors", "quantize"]) { dir in
                try FileManager.default.copyItem(atPath: dir + "/model.safetensors", toPath: dir + "/model.bf16.safetensors")
                try FileManager.default.moveItem(atPath: dir + "/model.safetensors", toPath: dir + "/model.int8.safetensors")
            },
        ]
    }

    // MARK: tampered classifiers

    static func classifierCases() -> [Case] {
        func tampered(_ name: String, evaluate: Bool = false, expect: [String], change: @escaping @Sendable (_ dir: String) throws -> Void) -> Case {
            let command = evaluate ? ["evaluate", "--model", "@dir/cls", "--data", "@base/dev.tsv"] : ["predict", "--model", "@dir/cls", "hello a"]
            return Case(name: name, arguments: command, expect: expect, prepare: { base, dir in
                try F.copy(base + "/cls", dir + "/cls")
                try change(dir + "/cls")
            })
        }
        let description = "@dir/cls/text_transfer.json"
        func json(_ change: @escaping @Sendable (inout [String: Any]) -> Void) -> @Sendable (String) throws -> Void {
            { dir in try F.editJSON(dir + "/text_transfer.json", change) }
        }
        func tensor(_ name: String, _ value: Float) -> @Sendable (String) throws -> Void {
            { dir in
                try F.editTensors(dir + "/model.safetensors") { t in
                    let old = t[name]!
                    t[name] = Tensor(shape: old.shape, values: [Float](repeating: value, count: old.count))
                }
            }
        }
        return [
            tampered("classifier labels []", expect: [description, "labels"], change: json { $0["labels"] = [String]() }),
            tampered("classifier labels named twice", expect: [description, "labels"], change: json { $0["labels"] = ["pos", "pos"] }),
            tampered("classifier max_length 1", expect: [description, "max_length"], change: json { $0["max_length"] = 1 }),
            tampered("classifier max_length -7", expect: [description, "max_length"], change: json { $0["max_length"] = -7 }),
            tampered("classifier max_length 100000", expect: [description, "max_length"], change: json { $0["max_length"] = 100_000 }),
            tampered("classifier multi-label with one threshold for two labels", expect: [description, "thresholds"],
                     change: json { $0["head"] = "multi-label"; $0["thresholds"] = [0.5] }),
            tampered("classifier training dropout 1", expect: [description, "training.dropout"],
                     change: json { var t = $0["training"] as! [String: Any]; t["dropout"] = 1; $0["training"] = t }),
            tampered("classifier weight NaN, evaluate", evaluate: true, expect: ["@dir/cls/model.safetensors", "classifier.weight"],
                     change: tensor("classifier.weight", .nan)),
            tampered("classifier bias +inf, evaluate", evaluate: true, expect: ["@dir/cls/model.safetensors", "classifier.bias"],
                     change: tensor("classifier.bias", .infinity)),
            tampered("classifier encoder weight NaN, predict", expect: ["@dir/cls/model.safetensors", "encoder.layer.0.output.dense.weight"],
                     change: tensor("encoder.layer.0.output.dense.weight", .nan)),
            tampered("classifier text_transfer.json not JSON", expect: [description], change: { dir in try F.write("{", dir + "/text_transfer.json") }),
            tampered("classifier without text_transfer.json", expect: [description], change: { dir in
                try FileManager.default.removeItem(atPath: dir + "/text_transfer.json")
            }),
            tampered("classifier tokenizer fingerprint changed", expect: ["@dir/cls", "tokenizer_fingerprint"],
                     change: json { $0["tokenizer_fingerprint"] = "0000" }),
            tampered("classifier head weight of the wrong shape", expect: ["@dir/cls/model.safetensors", "classifier.weight"],
                     change: json { $0["labels"] = ["pos", "neg", "other"] }),
        ]
    }

    // MARK: tampered checkpoints, resumed

    static func checkpointCases() -> [Case] {
        func tampered(_ name: String, expect: [String], change: @escaping @Sendable (_ checkpoint: String) throws -> Void) -> Case {
            Case(name: name, arguments: train(["--resume"]), expect: expect, prepare: { base, dir in
                try F.copy(base + "/ckrun.checkpoint", dir + "/out.checkpoint")
                try change(dir + "/out.checkpoint")
            })
        }
        let state = "@dir/out.checkpoint/state.json"
        return [
            tampered("checkpoint generator state of 2 words", expect: [state, "epochGeneratorState"]) { ck in
                try F.editJSON(ck + "/state.json") { $0["epochGeneratorState"] = [1, 2] }
            },
            tampered("checkpoint at epoch 10^9", expect: [state, "epoch"]) { ck in
                try F.editJSON(ck + "/state.json") { $0["epoch"] = 1_000_000_000 }
            },
            tampered("checkpoint with a negative step", expect: [state, "step"]) { ck in
                try F.editJSON(ck + "/state.json") { $0["step"] = -4 }
            },
            tampered("checkpoint adam.first one value short", expect: ["@dir/out.checkpoint/state.safetensors", "adam.first"]) { ck in
                try F.editTensors(ck + "/state.safetensors") { t in
                    let old = t["adam.first"]!
                    t["adam.first"] = Tensor(shape: [old.count - 1], values: Array(UnsafeBufferPointer(start: old.pointer, count: old.count - 1)))
                }
            },
            tampered("checkpoint state.json truncated", expect: [state]) { ck in try F.write("{\"epoch\": 1", ck + "/state.json") },
            tampered("checkpoint state.safetensors missing", expect: ["@dir/out.checkpoint/state.safetensors"]) { ck in
                try FileManager.default.removeItem(atPath: ck + "/state.safetensors")
            },
        ]
    }

    // MARK: standard streams

    static func streamCases() -> [Case] {
        [
            Case(name: "predict > /dev/full", arguments: ["predict", "--model", "@base/cls", "hello a"], expect: ["<stdout>"], redirect: "> /dev/full"),
            Case(name: "predict with stdout closed", arguments: ["predict", "--model", "@base/cls", "hello a"], expect: ["<stdout>"], redirect: "1>&-"),
            Case(name: "embed > /dev/full", arguments: ["embed", "--model", "@base/tiny"], expect: ["<stdout>"], redirect: "> /dev/full", stdin: "hello\n"),
            Case(name: "tokenize > /dev/full", arguments: ["tokenize", "--model", "@base/tiny"], expect: ["<stdout>"], redirect: "> /dev/full", stdin: "hello\n"),
            Case(name: "similarity > /dev/full", arguments: ["similarity", "--model", "@base/tiny", "hello", "world"], expect: ["<stdout>"], redirect: "> /dev/full"),
            Case(name: "vectors > /dev/full", arguments: ["vectors", "--embeddings", "@base/glove.txt", "hello"], expect: ["<stdout>"], redirect: "> /dev/full"),
            Case(name: "embed with stdin closed", arguments: ["embed", "--model", "@base/tiny"], expect: ["<stdin>"], redirect: "0<&-"),
            Case(name: "embed with stdin a directory", arguments: ["embed", "--model", "@base/tiny"], expect: ["<stdin>"], redirect: "< /"),
            Case(name: "tokenize with stdin closed", arguments: ["tokenize", "--model", "@base/tiny"], expect: ["<stdin>"], redirect: "0<&-"),
            Case(name: "vectors with words from a closed stdin", arguments: ["vectors", "--embeddings", "@base/glove.txt"], expect: ["<stdin>"],
                 redirect: "0<&-"),
            Case(name: "predict --input - with stdin closed", arguments: ["predict", "--model", "@base/cls", "--input", "-"], expect: ["<stdin>"], redirect: "0<&-"),
        ]
    }
}
