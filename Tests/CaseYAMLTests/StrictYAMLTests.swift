import Foundation
import Testing
import CaseModel
@testable import CaseYAML

private struct Letter: Codable, Equatable {
    var number: String
    var date: CalendarDate
    var urgent: Bool?
    var copies: Int?
}

private struct Form: Codable, Equatable {
    var kind: String
    var letter: Letter
    var items: [String]
    var reason: RejectReason?
    var at: Timestamp?
}

private func decodeForm(_ text: String) throws -> Form {
    try StrictYAML.decode(Form.self, from: Data(text.utf8), file: "form.yaml")
}

/// The message id and arguments of the error `body` throws.
private func refusal(_ body: () throws -> Void) -> (MessageID, [String: String])? {
    do {
        try body()
        return nil
    } catch let error as CaseError {
        return (error.message.id, error.message.arguments)
    } catch {
        return nil
    }
}

private let good = """
kind: annex
letter:
  number: "南市教字第1150012345號"
  date: 2026-03-02
  urgent: false
  copies: 2
items:
  - Annex 4
  - "NO"
reason: ineligible
at: 2026-03-02T10:15:00+08:00
"""

@Suite struct StrictYAMLTests {
    @Test func decodesTypedValuesAsWritten() throws {
        let form = try decodeForm(good + "\n")
        #expect(form.letter.number == "南市教字第1150012345號")
        #expect(form.letter.date == CalendarDate(year: 2026, month: 3, day: 2))
        #expect(form.items == ["Annex 4", "NO"])
        #expect(form.letter.urgent == false)
        #expect(form.reason == .ineligible)
        #expect(form.at?.text == "2026-03-02T10:15:00+08:00")
    }

    @Test func plainNoStaysText() throws {
        let form = try decodeForm(good.replacingOccurrences(of: "kind: annex", with: "kind: NO"))
        #expect(form.kind == "NO")
        let version = try decodeForm(good.replacingOccurrences(of: "kind: annex", with: "kind: 1.10"))
        #expect(version.kind == "1.10")
    }

    @Test func refusesAliasBombAtTheEventLevel() {
        // 330 bytes that expand to 10^6 strings through aliases.
        let bomb = """
        a: &a ["x","x","x","x","x","x","x","x","x","x"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
        """
        let result = refusal { _ = try decodeForm(bomb) }
        #expect(result?.0 == .yamlAnchor)
        #expect(result?.1["line"] == "1")
    }

    @Test func refusesAliasesTagsAndMergeKeys() {
        #expect(refusal { _ = try decodeForm("kind: *x\n") }?.0 == .yamlAlias)
        #expect(refusal { _ = try decodeForm("kind: !!str annex\n") }?.0 == .yamlTag)
        #expect(refusal { _ = try decodeForm("kind: !custom annex\n") }?.0 == .yamlTag)
        #expect(refusal { _ = try decodeForm("letter:\n  <<: {number: x}\n") }?.0 == .yamlMergeKey)
        #expect(refusal { _ = try decodeForm("? [a, b]\n: x\n") }?.0 == .yamlComplexKey)
    }

    @Test func refusesDuplicateKeysIncludingOtherSpellings() {
        let plainAndQuoted = refusal { _ = try decodeForm("kind: a\n\"kind\": b\n") }
        #expect(plainAndQuoted?.0 == .yamlDuplicateKey)
        #expect(plainAndQuoted?.1["line"] == "2")
        // "é" precomposed (NFC) and decomposed (NFD).
        #expect(refusal { _ = try decodeForm("caf\u{E9}: a\ncafe\u{301}: b\n") }?.0 == .yamlDuplicateKey)
    }

    @Test func refusesUnknownAndMissingKeysWithLines() {
        let unknown = refusal { _ = try decodeForm(good + "\nsignedBy: someone\n") }
        #expect(unknown?.0 == .yamlUnknownKey)
        #expect(unknown?.1["key"] == "signedBy")
        #expect(unknown?.1["line"] == "12")
        let nested = refusal { _ = try decodeForm(good.replacingOccurrences(of: "  copies: 2", with: "  copies: 2\n  colour: red")) }
        #expect(nested?.1["key"] == "colour")
        let missing = refusal { _ = try decodeForm("kind: a\nitems: []\n") }
        #expect(missing?.0 == .yamlMissingKey)
        #expect(missing?.1["key"] == "letter")
    }

    @Test func refusesImpossibleDatesAndBadTypes() {
        let date = refusal { _ = try decodeForm(good.replacingOccurrences(of: "2026-03-02\n", with: "2026-02-30\n")) }
        #expect(date?.0 == .yamlBadDate)
        #expect(date?.1["field"] == "letter.date")
        #expect(date?.1["line"] == "4")
        let time = refusal { _ = try decodeForm(good.replacingOccurrences(of: "T10:15", with: "T25:15")) }
        #expect(time?.0 == .yamlBadTimestamp)
        let number = refusal { _ = try decodeForm(good.replacingOccurrences(of: "copies: 2", with: "copies: \"2\"")) }
        #expect(number?.0 == .yamlWrongType)
        let octalLooking = refusal { _ = try decodeForm(good.replacingOccurrences(of: "copies: 2", with: "copies: 02")) }
        #expect(octalLooking?.0 == .yamlWrongType)
        let boolean = refusal { _ = try decodeForm(good.replacingOccurrences(of: "urgent: false", with: "urgent: NO")) }
        #expect(boolean?.0 == .yamlWrongType)
        let choice = refusal { _ = try decodeForm(good.replacingOccurrences(of: "reason: ineligible", with: "reason: lazy")) }
        #expect(choice?.0 == .yamlBadValue)
        #expect(choice?.1["allowed"]?.contains("false-statement") == true)
        let list = refusal { _ = try decodeForm(good.replacingOccurrences(of: "items:\n  - Annex 4\n  - \"NO\"", with: "items: Annex 4")) }
        #expect(list?.0 == .yamlWrongType)
    }

    @Test func refusesOversizedInvalidUTF8AndMultipleDocuments() {
        let big = Data(("kind: \"" + String(repeating: "x", count: 300 * 1024) + "\"\n").utf8)
        #expect(refusal { _ = try StrictYAML.decode(Form.self, from: big, file: "big.yaml") }?.0 == .yamlTooLarge)
        var bytes = Data("kind: a\nletter: \"".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(Data("\"\n".utf8))
        let utf8 = refusal { _ = try StrictYAML.decode(Form.self, from: bytes, file: "bad.yaml") }
        #expect(utf8?.0 == .yamlInvalidUTF8)
        #expect(utf8?.1["line"] == "2")
        #expect(refusal { _ = try decodeForm(good + "\n---\nkind: b\n") }?.0 == .yamlDocumentCount)
        #expect(refusal { _ = try decodeForm("") }?.0 == .yamlDocumentCount)
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(refusal { _ = try decodeForm("kind: " + deep) }?.0 == .yamlTooDeep)
        // Far deeper input stops in libyaml's own scanner limit, still as a refusal.
        let deeper = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(refusal { _ = try decodeForm("kind: " + deeper) } != nil)
    }

    @Test func everyErrorNamesTheFile() {
        do {
            _ = try decodeForm("kind: a\nkind: b\n")
            Issue.record("expected a refusal")
        } catch let error as CaseError {
            #expect(error.message.render(.en).hasPrefix("form.yaml:2:"))
            #expect(error.message.render(.zhTW).hasPrefix("form.yaml:2："))
            #expect(error.status == .badInput)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
