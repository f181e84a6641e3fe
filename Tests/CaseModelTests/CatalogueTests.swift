import Foundation
import Testing
import CaseModel

@Suite struct CatalogueTests {
    private func placeholders(_ text: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    @Test(arguments: MessageID.allCases)
    func everyMessageHasBothLanguagesWithTheSamePlaceholders(_ id: MessageID) throws {
        let entry = try #require(Catalogue.entries[id], "\(id.rawValue) has no catalogue entry")
        #expect(!entry.en.trimmingCharacters(in: .whitespaces).isEmpty, "\(id.rawValue) lacks English")
        #expect(!entry.zhTW.trimmingCharacters(in: .whitespaces).isEmpty, "\(id.rawValue) lacks zh-TW")
        #expect(entry.en != entry.zhTW || entry.en.allSatisfy { !$0.isLetter }, "\(id.rawValue) is not translated")
        #expect(placeholders(entry.en) == placeholders(entry.zhTW), "\(id.rawValue): placeholders differ")
        // Chinese text must actually contain Chinese (CJK) characters unless it is pure data.
        let hasCJK = entry.zhTW.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        #expect(hasCJK || placeholders(entry.zhTW).count > 0 && entry.zhTW.filter(\.isLetter).count < 8, "\(id.rawValue): zh-TW text has no Chinese")
    }

    @Test func catalogueHasNoEntriesWithoutAnID() {
        #expect(Catalogue.entries.count == MessageID.allCases.count)
    }

    @Test func languageComesFromTheEnvironment() {
        #expect(Language.fromEnvironment(["LANG": "zh_TW.UTF-8"]) == .zhTW)
        #expect(Language.fromEnvironment(["LANG": "zh_TW.UTF-8", "LC_ALL": "C"]) == .en)
        #expect(Language.fromEnvironment([:]) == .en)
        #expect(Language(option: "zh-TW") == .zhTW)
        #expect(Language(option: "fr") == nil)
    }

    @Test func rendersArgumentsInEitherLanguage() {
        let message = Message(.caseNotFound, ["case": "REG-2026-edu1-0001"])
        #expect(message.render(.en).contains("REG-2026-edu1-0001"))
        #expect(message.render(.zhTW).contains("REG-2026-edu1-0001"))
        #expect(message.render(.zhTW).contains("案件"))
    }
}
