import Foundation
import Testing
import CaseRules

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// docs/rules.md and the scenarios agree: every workflow rule names scenarios that exist
/// and in which the rule refuses (or records) at least once; every rule a scenario
/// expects is in the table.
@Suite struct RulesDocumentTests {
    struct Row { let id: String; let seed: String; let severity: String; let scenarios: [String] }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 7, cells[1].hasPrefix("P"), cells[1].contains("-") else { return nil }
            let scenarios = cells[5].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Row(id: cells[1], seed: cells[2], severity: cells[4], scenarios: scenarios)
        }
    }

    /// The scenario file's text, or nil.
    static func scenario(_ name: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent("Tests/Scenarios/\(name)/scenario.yaml"), encoding: .utf8)
    }

    @Test func theTableCoversTheSeed() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 25)
        // Every workflow row was read whole: its id, a seed cell, a severity.
        for row in rows {
            #expect(row.id.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }, "\(row.id): not a rule id")
            #expect(["refuse", "record"].contains(row.severity), "\(row.id): severity \(row.severity)")
            #expect(!row.seed.isEmpty, "\(row.id): the seed cell is empty")
        }
    }

    /// Every P- row quotes the seed in 「…」, verbatim, from the point, paragraph (and item)
    /// it names, each quote followed by its English in ("…").
    @Test func everyWorkflowRuleQuotesTheSeed() throws {
        for row in try Self.rows() {
            let quotes = Seed.quotes(in: row.seed)
            #expect(!quotes.isEmpty, "\(row.id): the seed cell quotes nothing; copy the sentence the rule rests on from the seed in 「…」")
            for quote in quotes {
                #expect(!quote.text.isEmpty && Seed.text.contains(quote.text),
                        "\(row.id): 「\(quote.text)」 is not in the seed (docs/seed/\(Seed.fileName)); copy it verbatim (full-width punctuation, spaces as in the seed)")
                let english = quote.english ?? ""
                #expect(english.contains { $0.isASCII && $0.isLetter },
                        "\(row.id): 「\(quote.text)」 has no English rendering; follow it with (\"…\")")
                #expect(!quote.references.isEmpty, "\(row.id): 「\(quote.text)」 names no place; put `point N ¶M` before it")
                for place in quote.references {
                    #expect(Seed.places(of: quote.text).contains { place.holds($0) },
                            "\(row.id): 「\(quote.text)」 is not in \(place) of the seed; paragraphs are counted as the seed counts them, items within their paragraph")
                }
            }
        }
    }

    /// The copy in docs/seed is the seed the project was given, where that lies beside the
    /// checkout (`shared/seed/` in a parent directory); a clean clone elsewhere has the copy only.
    @Test func theCopyOfTheSeedIsTheSeed() throws {
        let copy = try Data(contentsOf: Seed.copy)
        if let original = Seed.original() {
            #expect(try Data(contentsOf: original) == copy, "docs/seed/\(Seed.fileName) differs from \(original.path); copy it again")
        }
        #expect(Set(Seed.pieces.map(\.point)) == Set(1...9), "the seed's points 1-9 are all read")
    }

    /// The reader of the seed and of the cells finds what is there and nothing else.
    @Test func theSeedIsReadIntoPointsParagraphsAndItems() throws {
        func paragraphs(_ point: Int) -> Set<Int> { Set(Seed.pieces.filter { $0.point == point }.map(\.paragraph)) }
        #expect(paragraphs(4) == Set(1...5))
        #expect(paragraphs(7) == Set(1...2))
        #expect(paragraphs(8) == Set(1...7))
        #expect(Seed.pieces.filter { $0.point == 7 && $0.paragraph == 1 }.compactMap(\.item) == Array(1...8))
        let refusal = Seed.places(of: "本府得不同意申請").map { "\($0.point) ¶\($0.paragraph)" }
        #expect(refusal == ["4 ¶3", "4 ¶4", "5 ¶3", "5 ¶4"])
        #expect(Seed.places(of: "應予駁回").isEmpty)
        #expect(Seed.places(of: "XCA組織及團體憑證後").isEmpty, "the seed writes 「XCA 組織」 there, with a space")
        // A quote across two items is in no single place.
        #expect(Seed.places(of: "利用本系統散播電腦病毒。蓄意破壞").isEmpty)
        // The explanations column is not the rules.
        #expect(Seed.places(of: "本須知訂定之目的").isEmpty)

        let cell = #"point 8 ¶4 「指派專人追蹤」 ("assigns staff to track"); reading: see point 2 ¶1; point 7 ¶1 item 7 「A「B」C」 ("nested") 「D」 reading"#
        let quotes = Seed.quotes(in: cell)
        #expect(quotes.map(\.text) == ["指派專人追蹤", "A「B」C", "D"])
        #expect(quotes.map(\.english) == ["assigns staff to track", "nested", nil])
        #expect(quotes.map { $0.references.map(\.description) } == [["point 8 ¶4"], ["point 7 ¶1 item 7"], ["point 7 ¶1 item 7"]])
        #expect(Seed.quotes(in: "point 8 ¶4 「指派專人追蹤").first?.text == "指派專人追蹤")
    }

    @Test func everyWorkflowRuleIsProvenByItsScenarios() throws {
        for row in try Self.rows() {
            var proven = false
            for name in row.scenarios {
                if name.hasSuffix(" (end-to-end)") {
                    // Proven through the binary: the suite names the rule it expects.
                    let suite = String(name.dropLast(" (end-to-end)".count))
                    let text = try String(contentsOf: root.appendingPathComponent("Tests/EndToEndTests/\(suite).swift"), encoding: .utf8)
                    if text.contains("[\(row.id)]") { proven = true }
                    continue
                }
                let text = try #require(Self.scenario(name), "\(row.id): no scenario \(name)")
                #expect(text.contains("expect: \"accepted\""), "\(row.id): \(name) accepts nothing")
                let needle = row.severity == "record" ? "\"\(row.id)\"]" : "rule: \"\(row.id)\""
                if text.contains(needle) || (row.severity == "record" && text.contains("\"\(row.id)\"")) { proven = true }
            }
            #expect(proven, "\(row.id): none of \(row.scenarios) \(row.severity == "record" ? "records" : "refuses") with it")
        }
    }

    /// The ids of the rule tables: the first cell of every row that is a rule id.
    static func documentedIDs() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let id = try Regex(#"^[SAP][0-9]*-[A-Z0-9-]+$"#)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[1].wholeMatch(of: id) != nil else { return nil }
            return cells[1]
        })
    }

    /// Every id a rule of the code can return has its row in docs/rules.md, and every row
    /// is an id the code can return.
    @Test func theTablesAndTheCodeNameTheSameIDs() throws {
        let documented = try Self.documentedIDs()
        let code = RuleIndex.ids
        #expect(code.count >= 80)
        for id in code.subtracting(documented).sorted() {
            Issue.record("\(id): a rule of CaseRules returns it, and docs/rules.md has no row for it; add one")
        }
        for id in documented.subtracting(code).sorted() {
            Issue.record("\(id): docs/rules.md has a row for it, and no rule of CaseRules returns it (RuleIndex); remove the row or add the rule")
        }
    }

    /// "Where the rules live" names every rule list of RuleIndex, its file, and the ids it returns.
    @Test func whereTheRulesLiveIsTheRuleIndex() throws {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        var rows: [String: (file: String, ids: Set<String>)] = [:]
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, RuleIndex.lists.contains(where: { $0.name == cells[1] }) else { continue }
            rows[cells[1]] = (cells[2], Set(cells[3].components(separatedBy: ", ")))
        }
        for list in RuleIndex.lists {
            guard let row = rows[list.name] else {
                Issue.record("\(list.name): docs/rules.md's \"Where the rules live\" has no row for it; add one")
                continue
            }
            #expect(row.ids == Set(list.ids), "\(list.name): docs/rules.md says \(row.ids.sorted()), the code returns \(Set(list.ids).sorted())")
            let file = row.file.trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/" + file).path), "\(list.name): no file \(file)")
            let source = (try? String(contentsOf: root.appendingPathComponent("Sources/" + file), encoding: .utf8)) ?? ""
            let type = String(list.name.split(separator: ".")[0])
            #expect(source.contains("enum \(type)"), "\(list.name): \(file) does not hold \(type)")
        }
    }

    @Test func everyRuleAScenarioExpectsIsInTheTable() throws {
        let documented = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let directory = root.appendingPathComponent("Tests/Scenarios")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix("_") {
            guard let text = Self.scenario(name) else { continue }
            let pattern = try Regex(#"rule: "([A-Z0-9-]+)""#)
            for match in text.matches(of: pattern) {
                let id = String(text[match.range]).dropFirst(7).dropLast()
                #expect(documented.contains("| \(id) |"), "\(name): rule \(id) is not in docs/rules.md")
            }
        }
    }
}

/// The city's rules as kept in the repository (`docs/seed/`), read into points, paragraphs
/// and items the way the seed counts them: a point starts with its numeral (「八、」); each
/// further `<p>` of the rules column (the first of a line's tab-separated cells) is the next
/// paragraph (項), unless it starts with an item number (「（一）」 or 「(一)」), which makes it
/// an item (款) of the paragraph before. The explanations column is left out.
enum Seed {
    static let fileName = "000_ac067d9b29a8f6a1.txt"
    static let copy = root.appendingPathComponent("docs/seed/\(fileName)")
    static let text: String = (try? String(contentsOf: copy, encoding: .utf8)) ?? ""

    /// A paragraph's own text, or one of its items.
    struct Piece { let point: Int; let paragraph: Int; let item: Int?; let text: String }

    struct Place: Equatable, CustomStringConvertible {
        let point: Int, paragraph: Int, item: Int?
        var description: String { "point \(point) ¶\(paragraph)" + (item.map { " item \($0)" } ?? "") }
        /// The piece lies in this place: its paragraph, or the item named.
        func holds(_ piece: Piece) -> Bool {
            piece.point == point && piece.paragraph == paragraph && (item == nil || piece.item == item)
        }
    }

    /// A 「…」 quote of a cell, the English in ("…") right after it, and the places named
    /// before it in its part of the cell (`point 4 ¶2, point 5 ¶2 「…」`; parts end at `;`);
    /// where its part names none, the previous quote's.
    struct Quote { let text: String; let english: String?; let references: [Place] }

    static let pieces: [Piece] = {
        let numerals = Array("一二三四五六七八九")
        var pieces: [Piece] = []
        var point = 0, paragraph = 0
        for line in text.split(separator: "\n") {
            let rules = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)[0]
            for part in rules.components(separatedBy: "<p>").dropFirst() {
                guard let end = part.range(of: "</p>") else { continue }
                let words = part[..<end.lowerBound].trimmingCharacters(in: .whitespaces)
                let head = Array(words.prefix(3))
                if head.count >= 2, let number = numerals.firstIndex(of: head[0]), head[1] == "、" {
                    point = number + 1
                    paragraph = 1
                    pieces.append(Piece(point: point, paragraph: paragraph, item: nil, text: words))
                } else if head.count == 3, "(（".contains(head[0]), let number = numerals.firstIndex(of: head[1]), ")）".contains(head[2]) {
                    pieces.append(Piece(point: point, paragraph: paragraph, item: number + 1, text: words))
                } else if point > 0 {
                    paragraph += 1
                    pieces.append(Piece(point: point, paragraph: paragraph, item: nil, text: words))
                }
            }
        }
        return pieces
    }()

    /// The pieces that hold `quote` whole (a quote never spans two paragraphs or items).
    static func places(of quote: String) -> [Piece] {
        quote.isEmpty ? [] : pieces.filter { $0.text.contains(quote) }
    }

    /// The seed beside the checkout: `shared/seed/<file>` in the nearest parent directory of
    /// the package root that has it.
    static func original() -> URL? {
        var directory = root.deletingLastPathComponent()
        while true {
            let candidate = directory.appendingPathComponent("shared/seed/\(fileName)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    static func quotes(in cell: String) -> [Quote] {
        let reference = try! Regex(#"point (\d+) ¶(\d+)(?: item (\d+))?"#)
        var quotes: [Quote] = []
        var places: [Place] = []
        var rest = Substring(cell)
        while let open = rest.firstIndex(of: "「") {
            // The places named in the part of the cell (parts end at `;`) the quote opens.
            let part = rest[..<open].split(separator: ";", omittingEmptySubsequences: false).last ?? ""
            let named = part.matches(of: reference).map { match in
                Place(point: Int(match.output[1].substring ?? "") ?? 0, paragraph: Int(match.output[2].substring ?? "") ?? 0,
                      item: match.output[3].substring.flatMap { Int($0) })
            }
            if !named.isEmpty { places = named }
            // The matching 」, quotes within quotes counted.
            var depth = 0
            var close = rest.endIndex
            for index in rest[open...].indices {
                if rest[index] == "「" { depth += 1 }
                if rest[index] == "」" { depth -= 1; if depth == 0 { close = index; break } }
            }
            let text = String(rest[rest.index(after: open)..<close])
            rest = close == rest.endIndex ? rest[close...] : rest[rest.index(after: close)...]
            var english: String?
            let after = rest.drop { $0 == " " }
            if after.hasPrefix("(\""), let end = after.range(of: "\")") {
                english = String(after[after.index(after.startIndex, offsetBy: 2)..<end.lowerBound])
                rest = after[end.upperBound...]
            }
            quotes.append(Quote(text: text, english: english, references: places))
        }
        return quotes
    }
}
