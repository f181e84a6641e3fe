import Testing
import CaseModel
import CaseRules

/// Dossiers name kinds, actions, case states and organization statuses in the reader's
/// language: each one the code knows has both words in the catalogue.
@Suite struct TermTests {
    static let terms: [(String, [String])] = [
        ("kind", CaseKind.allCases.map(\.rawValue)),
        ("action", Action.allCases.map(\.rawValue)),
        ("state", CaseStage.allCases.map(\.rawValue)),
        ("org", OrganizationStatus.allCases.map(\.rawValue)),
    ]

    @Test(arguments: terms.flatMap { group, raws in raws.map { (group, $0) } })
    func everyTermHasBothLanguages(_ term: (String, String)) throws {
        let id = try #require(MessageID(rawValue: "term.\(term.0).\(term.1)"), "term.\(term.0).\(term.1) is not in the catalogue")
        #expect(Catalogue.entries[id] != nil)
        #expect(Catalogue.term(term.0, term.1, .zhTW) != Catalogue.term(term.0, term.1, .en))
    }

    @Test func anUnknownTermIsShownAsItIs() {
        #expect(Catalogue.term("action", "no.such.action", .zhTW) == "no.such.action")
    }
}
