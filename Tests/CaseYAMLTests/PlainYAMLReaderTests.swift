import Foundation
import Testing
import CaseModel
@testable import CaseYAML

/// The reader of webjcase's own YAML style must read exactly what libyaml reads from every
/// input it takes, and take what the writers write (else it would be no faster).
@Suite struct PlainYAMLReaderTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// What the writers produce, and every YAML file the tests keep (scenarios, vectors,
    /// saved fuzz inputs), hand-written ones included.
    static func seeds() throws -> [(String, Data)] {
        let id = try #require(CaseID("REG-2026-edu1-0001"))
        let at = try #require(Timestamp("2026-03-02T10:15:00+08:00"))
        let letter = LetterReference(number: "南市教字第1150012345號", date: try #require(CalendarDate("2026-03-01")))
        let samples: [(Action, StepData)] = [
            (.open, .open(.init(subject: "NO", letter: letter, note: "1.10"))),
            (.initialCorrection, .correctionRequest(.init(items: ["Annex 4: the self-assessment is unsigned", "true"],
                                                           correctBy: try #require(CalendarDate("2026-03-20"))))),
            (.initialReject, .reject(.init(reason: .falseStatement, note: "見附件: 偽造之印鑑 # not a comment"))),
            (.initialTransfer, .transfer(.init(to: "social", note: "- looks like a list\n  and two lines"))),
        ]
        var seeds: [(String, Data)] = []
        for (index, (action, data)) in samples.enumerated() {
            let step = StepDocument(case: id, sequence: index + 1, action: action, at: at, actor: "SHA256:abc",
                                    previous: "sha256:" + String(repeating: "0", count: 64), data: data,
                                    attachments: [AttachmentReference(name: "scan.pdf", sha256: String(repeating: "a", count: 64), size: 12)])
            seeds.append(("step \(action.rawValue)", try DocumentWriter.yaml(step)))
        }
        seeds.append(("case.yaml", try DocumentWriter.yaml(CaseFile(id: id, organization: "12345678", jurisdiction: "edu", node: "edu1"))))
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "yaml" {
            seeds.append((url.path, try Data(contentsOf: url)))
        }
        return seeds
    }

    @Test func takesWhatTheWritersWriteAndReadsItAsLibYAMLDoes() throws {
        // All but the transfer, whose two-line note is written double-quoted.
        for (name, data) in try Self.seeds().prefix(5) where !name.hasSuffix("transfer") {
            let plain = data.withUnsafeBytes { PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }
            #expect(plain != nil, "the writers' style is read without libyaml: \(name)")
            #expect(plain == (try StrictYAMLReader.readWithLibYAML(data)), "\(name)")
        }
        // Hand-written files have comments, double quotes and flow style: many go to libyaml.
        var taken = 0
        let seeds = try Self.seeds()
        for (name, data) in seeds {
            #expect(StrictYAML.readersAgree(data), "\(name)")
            if data.withUnsafeBytes({ PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }) != nil { taken += 1 }
        }
        #expect(seeds.count > 100 && taken > 20, "\(taken) of \(seeds.count) files read without libyaml")
    }

    @Test(arguments: [
        ("a: 1\n# a comment\n", "a comment"),
        ("a: 1 # a comment\n", "a comment after a value"),
        ("a:\tb\n", "a tab"),
        ("a: \"b\"\n", "a double-quoted scalar"),
        ("a: b\n  c\n", "a plain scalar continued"),
        ("a: 'b\n  c'\n", "a quoted scalar continued"),
        ("a:\nb: 1\n", "an empty value"),
        ("a: 1\na: 2\n", "a repeated key"),
        ("<<: 1\n", "a merge key"),
        ("---\na: 1\n", "a document marker"),
        ("a: 1\n...\n", "a document end"),
        ("\u{FEFF}a: 1\n", "a byte-order mark"),
        ("a: b\u{2028}c\n", "a Unicode line separator"),
        ("a: b\u{85}c\n", "a next-line character"),
        ("a: 1\r\n", "a carriage return"),
        ("a: 1\n\nb: 2\n", "a blank line"),
        ("'a': 1\n", "a quoted key"),
        ("? a\n: 1\n", "a complex key"),
        ("a: &x 1\n", "an anchor"),
        ("a: !!str 1\n", "a tag"),
        ("a: [1]\n", "a flow sequence that is not empty"),
        ("- 1\n", "a sequence at the root"),
        ("a :1\n", "a key with a space before its colon"),
        ("a: b: c\n", "a colon and a space in a plain scalar"),
        ("a: -1\n", "a leading dash"),
        ("a:\n  - 1\n  b: 2\n", "a mapping key after a sequence"),
        ("a:\n    b: 1\n  c: 2\n", "an indentation between two levels"),
    ])
    func declinesWhatItDoesNotKnow(_ text: String, _ what: String) {
        let data = Data(text.utf8)
        let plain = data.withUnsafeBytes { PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }
        #expect(plain == nil, "declines \(what)")
    }

    @Test func readsTheLinesLibYAMLGives() throws {
        let text = "kind: step\ndata:\n  letter:\n    number: '1'\n  documents:\n  - annex: 1\n    file: a b\n  - x\nempty: []\nnone: {}\n"
        let data = Data(text.utf8)
        let plain = try #require(data.withUnsafeBytes { PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) })
        #expect(plain == (try StrictYAMLReader.readWithLibYAML(data)))
        guard case .mapping(let pairs, 1) = plain, case .mapping(let data, 3) = pairs[1].value,
              case .sequence(let documents, 6) = data[1].value, case .mapping(let first, 6) = documents[0],
              case .scalar("a b", true, 7) = first[1].value, case .scalar("x", true, 8) = documents[1],
              case .sequence([], 9) = pairs[2].value, case .mapping(let none, 10) = pairs[3].value, none.isEmpty else {
            Issue.record("\(plain)")
            return
        }
    }

    /// Many thousands of inputs near the seeds: bytes inserted, replaced and removed,
    /// chosen among those YAML gives meaning to. Whatever the reader takes must be what
    /// libyaml reads (and libyaml must read it without an error).
    @Test func agreesWithLibYAMLOnMutations() throws {
        let alphabet: [[UInt8]] = [" ", "\n", ":", ": ", "#", " #", "-", "- ", "'", "''", "\"", "[", "]", "[]", "{", "}", "{}",
                                   "\t", "?", "&", "*", "!", "|", ">", "%", "@", "`", ",", ".", "...", "---", "a", "1", "~",
                                   "é", "臺", "\u{1F600}", "\u{FFFD}", "\u{2028}", "\u{85}", "\u{FEFF}", "\u{A0}", "\r", "<<", "  ", "\n  ", "\n- "]
            .map { Array($0.utf8) }
        var random = SystemRandomNumberGenerator()
        var seeds = try Self.seeds().map { Array($0.1) }.filter { $0.count < 4_096 }
        seeds = Array(seeds.prefix(40))
        var taken = 0, tried = 0
        for seed in seeds {
            for _ in 0..<1_000 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0...bytes.count, using: &random)
                    let piece = alphabet.randomElement(using: &random)!
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes.insert(contentsOf: piece, at: at)
                    case 1: bytes.replaceSubrange(at..<min(bytes.count, at + piece.count), with: piece)
                    default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...4, using: &random)))
                    }
                }
                let data = Data(bytes)
                tried += 1
                guard StrictYAMLReader.firstInvalidUTF8Line(data) == nil else { continue }
                let plain = data.withUnsafeBytes { PlainYAMLReader.read($0.bindMemory(to: UInt8.self)) }
                guard let plain else { continue }
                taken += 1
                let libyaml = try? StrictYAMLReader.readWithLibYAML(data)
                #expect(libyaml == plain, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
        // Not vacuous: many of the mutations stay in the style the reader takes.
        #expect(taken * 20 > tried, "\(taken) of \(tried) mutations read without libyaml")
    }
}
