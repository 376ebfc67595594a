#!/usr/bin/env python3
"""Checks the module graph without building: every `import` of a package module is a dependency its target
declares in Package.swift, and every declared dependency is an arrow of the plan (../shared/ARCHITECTURE.md:
data flows down, CLI → TextTransfer → Training → {Encoders, IO, Tokenization, Embeddings} → Core → C
libraries). Prints each violation with file and line; exits 1 if there is one.   usage: check-module-graph.py"""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "XCTest", "Testing"}
PRODUCTS = {"ArgumentParser": "swift-argument-parser", "RealModule": "swift-numerics"}
# The plan's arrows for library and executable targets (test targets may depend on anything below them).
PLAN = {
    "TextTransferCore": {"CTextTransferBLAS", "_TextTransferVectorKernels", "RealModule"},
    "TextTransferTokenization": {"TextTransferCore", "_TextTransferICU"},
    "TextTransferIO": {"TextTransferCore"},
    "TextTransferEncoders": {"TextTransferCore"},
    "TextTransferEmbeddings": {"TextTransferCore", "TextTransferTokenization", "TextTransferIO"},
    "TextTransferTraining": {"TextTransferCore", "TextTransferEncoders", "TextTransferIO", "TextTransferTokenization",
                             "TextTransferEmbeddings", "RealModule"},
    "TextTransfer": {"TextTransferCore", "TextTransferIO", "TextTransferTokenization", "TextTransferEmbeddings",
                     "TextTransferEncoders", "TextTransferTraining"},
    # The umbrella exports a chosen list; the CLI and the fuzz targets reach below it for the rest.
    "TextTransferCLI": {"TextTransfer", "TextTransferCore", "TextTransferIO", "TextTransferTokenization", "TextTransferEmbeddings",
                        "TextTransferEncoders", "TextTransferTraining", "ArgumentParser"},
    "TextTransferFuzzTargets": {"TextTransfer", "TextTransferCore", "TextTransferIO", "TextTransferTokenization",
                                "TextTransferEmbeddings", "TextTransferTraining"},
    "TextTransferFuzz": {"TextTransferFuzzTargets"},
    "TextTransferTestSupport": {"TextTransferCore", "TextTransferIO"},
}

manifest = open(os.path.join(root, "Package.swift"), encoding="utf-8").read()
targets = {}  # name -> (kind, path, dependencies)
for m in re.finditer(r'\.(target|executableTarget|testTarget|systemLibrary)\(', manifest):
    depth, i = 1, m.end()
    while depth:  # the call's arguments, up to its balanced closing parenthesis
        depth += {"(": 1, ")": -1}.get(manifest[i], 0)
        i += 1
    body = manifest[m.end():i - 1]
    name = re.search(r'name:\s*"([^"]+)"', body).group(1)
    deps = re.search(r'dependencies:\s*\[(.*?)\]\s*(?:,|$)', body, re.S)
    names = re.findall(r'"([^"]+)"', re.sub(r'package:\s*"[^"]+"', "", deps.group(1))) if deps else []
    path = re.search(r'path:\s*"([^"]+)"', body)
    default = ("Tests/" if m.group(1) == "testTarget" else "Sources/") + name
    targets[name] = (m.group(1), path.group(1) if path else default, set(names))

problems = []
for name, (kind, path, deps) in sorted(targets.items()):
    if kind != "testTarget" and name in PLAN:
        for d in sorted(deps - PLAN[name]):
            problems.append(f"Package.swift: {name} depends on {d}, which is not an arrow of the plan")
    elif kind != "testTarget" and kind != "systemLibrary" and not name.startswith("_"):
        problems.append(f"Package.swift: {name} is not in the plan (Scripts/check-module-graph.py PLAN)")
    for folder, _, files in os.walk(os.path.join(root, path)):
        for f in sorted(files):
            if not f.endswith(".swift"):
                continue
            file = os.path.join(folder, f)
            closing = None  # inside a multi-line string literal (an embedded Python file, say), its closing delimiter
            for number, line in enumerate(open(file, encoding="utf-8"), 1):
                if closing:  # Swift's closing delimiter stands first on its line: `"""` and the opening's `#`s
                    if line.strip().startswith(closing):
                        closing = None
                    continue
                opening = re.search(r'(#*)"""\s*$', line)
                if opening:
                    closing = '"""' + opening.group(1)
                    continue
                i = re.match(r'\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|var|let|protocol)\s+)?(\w+)', line)
                if not i or i.group(1) in SYSTEM or i.group(1) == name:
                    continue
                module = i.group(1)
                if module not in targets and module not in PRODUCTS:
                    problems.append(f"{os.path.relpath(file, root)}:{number}: imports {module}, which is no module of the package")
                elif module not in deps:
                    problems.append(f"{os.path.relpath(file, root)}:{number}: {name} imports {module} without declaring it in Package.swift")

for p in problems:
    print(p)
print(f"module graph: {len(targets)} targets, {len(problems)} problems")
sys.exit(1 if problems else 0)
