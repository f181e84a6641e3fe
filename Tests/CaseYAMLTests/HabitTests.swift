import Foundation
import Testing
import CaseModel
@testable import CaseYAML

private struct Letter: Codable, Equatable {
    var number: String
    var date: CalendarDate
}

private struct Form: Codable, Equatable {
    var threshold: Int
    var letter: Letter
    var mode: PolicyMode?
    var items: [String]?
}

/// The message id, arguments and both renderings of what decoding `text` as a `Form` throws.
private func refusal(_ text: String) -> (id: MessageID, arguments: [String: String], en: String, zh: String)? {
    do {
        _ = try StrictYAML.decode(Form.self, from: Data(text.utf8), file: "form.yaml")
        return nil
    } catch let error as CaseError {
        return (error.message.id, error.message.arguments, error.message.render(.en), error.message.render(.zhTW))
    } catch {
        return nil
    }
}

/// What people write into YAML by habit gets a message that says what it is and what to
/// write instead: a tab, a misspelled key, a value of a closed set, a date the Taiwanese way.
@Suite struct HabitTests {
    @Test func aTabSaysTabAndTheLine() throws {
        for text in ["threshold: 1\nletter:\n\tnumber: \"x\"\n  date: 2026-12-04\n",
                     "threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\nitems:\n\t- \"a\"\n"] {
            let found = try #require(refusal(text))
            #expect(found.id == .yamlTab, "\(found)")
            #expect(found.arguments["line"] == (text.contains("items") ? "4" : "3"), "\(found)")
            #expect(found.en.contains("tab") && found.zh.contains("Tab"))
        }
        // A tab inside a quoted value is text, and decodes.
        #expect(refusal("threshold: 1\nletter: {number: \"a\tb\", date: 2026-12-04}\n") == nil)
    }

    @Test func aMisspelledRequiredKeyIsNamedWithTheKeyItMeant() throws {
        let found = try #require(refusal("threshhold: 1\nletter: {number: \"x\", date: 2026-12-04}\n"))
        #expect(found.id == .yamlMisspelledKey)
        #expect(found.arguments["found"] == "threshhold" && found.arguments["key"] == "threshold" && found.arguments["line"] == "1")
        let swapped = try #require(refusal("threshold: 1\nletter: {nubmer: \"x\", date: 2026-12-04}\n"))
        #expect(swapped.id == .yamlMisspelledKey && swapped.arguments["found"] == "nubmer", "\(swapped)")
        // Nothing near: the key is missing, as before.
        let missing = try #require(refusal("threshold: 1\nletter: {date: 2026-12-04}\n"))
        #expect(missing.id == .yamlMissingKey)
    }

    @Test func anUnknownKeyNamesTheClosestAllowedOne() throws {
        let found = try #require(refusal("threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\nitem: [\"a\"]\n"))
        #expect(found.id == .yamlUnknownKeyClosest, "\(found)")
        #expect(found.arguments["key"] == "item" && found.arguments["closest"] == "items")
        let far = try #require(refusal("threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\nsubject: \"a\"\n"))
        #expect(far.id == .yamlUnknownKey && far.arguments["closest"] == nil)
    }

    @Test func aValueOfAClosedSetListsTheSet() throws {
        let found = try #require(refusal("threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\nmode: \"Production\"\n"))
        #expect(found.id == .yamlBadValue && found.arguments["allowed"] == "`production`, `test`", "\(found)")
    }

    @Test(arguments: [("115-12-04", MessageID.yamlROCDate, "2026-12-04"), ("115/12/04", .yamlROCDate, "2026-12-04"),
                      ("99.1.5", .yamlROCDate, "2010-01-05"), ("2026/12/04", .yamlSlashDate, "2026-12-04"),
                      ("2026.2.3", .yamlSlashDate, "2026-02-03")])
    func aDateTheTaiwaneseWayShowsTheDateToWrite(written: String, id: MessageID, iso: String) throws {
        let found = try #require(refusal("threshold: 1\nletter: {number: \"x\", date: \(written)}\n"))
        #expect(found.id == id, "\(found)")
        #expect(found.arguments["iso"] == iso && found.en.contains(iso) && found.zh.contains(iso))
    }

    @Test func aDateThatIsNoDayStaysADateError() throws {
        for written in ["115-02-30", "2026/13/01", "12345-01-01", "2026-1-1x"] {
            let found = try #require(refusal("threshold: 1\nletter: {number: \"x\", date: \(written)}\n"))
            #expect(found.id == .yamlBadDate, "\(written): \(found)")
        }
    }

    @Test func spellingDistanceCountsEditsAndSwaps() {
        #expect(KeySpelling.distance("threshold", "threshhold") == 1)
        #expect(KeySpelling.distance("number", "nubmer") == 1)
        #expect(KeySpelling.distance("note", "NOTE") == 0)
        #expect(KeySpelling.distance("kind", "mode") > 2)
        #expect(!KeySpelling.isNear("note", "note") && !KeySpelling.isNear("at", "by"))
        #expect(KeySpelling.closest(to: "reasn", among: ["reason", "result"]) == "reason")
    }
}

/// One type serving several kinds of document (the open step's data) names only the keys
/// of the document's kind as allowed.
@Suite struct RootKeysTests {
    @Test func keysOfAnotherKindAreUnknownAndNotOffered() throws {
        let text = "threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\nmode: \"test\"\n"
        do {
            _ = try StrictYAML.decode(Form.self, from: Data(text.utf8), file: "open.yaml", rootKeys: ["threshold", "letter", "items"])
            Issue.record("a key outside rootKeys was taken")
        } catch let error as CaseError {
            #expect(error.message.arguments["key"] == "mode" && error.message.arguments["line"] == "3", "\(error.message.arguments)")
            #expect(error.message.arguments["allowed"] == "`items`, `letter`, `threshold`", "\(error.message.arguments)")
        }
        // Nested mappings keep their own keys; without the key, the document decodes.
        let plain = "threshold: 1\nletter: {number: \"x\", date: 2026-12-04}\n"
        #expect(try StrictYAML.decode(Form.self, from: Data(plain.utf8), file: "open.yaml", rootKeys: ["threshold", "letter"]).threshold == 1)
    }
}
