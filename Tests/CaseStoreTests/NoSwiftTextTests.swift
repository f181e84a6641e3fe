import Foundation
import Testing
import CaseModel
import CaseYAML
@testable import CaseStore

/// Words of Swift, not of people: a message showing one leaks a type, an initializer or
/// an enum case instead of saying what was wrong.
private let swiftWords = ["Cannot initialize", "Swift.", "DecodingError", "CodingKeys", "init(", "Optional(", "typeMismatch",
                          "keyNotFound", "valueNotFound", "dataCorrupted", "debugDescription", "RawValue", "CaseModel.", "CaseStore."]

/// No message a person reads shows Swift's own text: not the catalogue, and not any error
/// of the strict decoder on any value of any step's data (every scalar of every
/// template, replaced in turn by values of every wrong shape).
@Suite struct NoSwiftTextTests {
    @Test func theCatalogueSpeaksNoSwift() {
        for (id, text) in Catalogue.entries {
            for word in swiftWords {
                #expect(!text.en.contains(word) && !text.zhTW.contains(word), "\(id.rawValue) holds \(word)")
            }
        }
    }

    /// Every scalar of a template (after `key: `, or an item of a flow list), with its range.
    static func scalars(_ text: String) -> [Range<String.Index>] {
        let pattern = try! NSRegularExpression(pattern: #"(?<=: |\[|, )("[^"]*"|[^\s,\[\]{}#"][^,\]}#\n]*?)(?=\s*(,|\]|\}|#|\n|$))"#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text) }
    }

    @Test(arguments: Action.allCases)
    func noDecodingErrorOfAnyStepShowsSwift(_ action: Action) throws {
        let wrong = ["\"Bogus value\"", "-1", "[]", "{}", "2026-13-45", "true", "115-12-04", "null", "{x: 1}", "3.5"]
        var tried = 0
        for kind in action == .open ? CaseKind.allCases : [.registration] {
            let template = DataTemplate.yaml(for: action, kind: kind)
            for range in Self.scalars(template) {
                for value in wrong {
                    var text = template
                    text.replaceSubrange(range, with: value)
                    tried += 1
                    do {
                        _ = try StrictYAML.decode(StepData.dataType(for: action), from: Data(text.utf8), file: "data.yaml")
                    } catch let error as CaseError {
                        for language in [Language.en, .zhTW] {
                            let said = error.message.render(language)
                            for word in swiftWords {
                                #expect(!said.contains(word), "\(action.rawValue) (\(kind.rawValue)) with \(value): \(said)")
                            }
                        }
                    }
                }
            }
        }
        #expect(tried > 0 || DataTemplate.yaml(for: action).allSatisfy { $0 != ":" }, "\(action.rawValue): no value was tried")
    }

    @Test func theScalarsOfATemplateAreFound() {
        let found = Self.scalars("a: \"x\"   # c\nb: [1, 2]\nc: {d: 2026-03-02, e: true}\n")
        #expect(found.count == 5, "\(found.count)")
    }
}
