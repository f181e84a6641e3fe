import Foundation
import Testing
import CaseModel
import CaseDemo

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The story `webjcase demo` plays (`DemoStory.text`, shipped in the binary) decodes
/// strictly and holds together; a bad story is refused naming the chapter and beat.
@Suite struct DemoStoryTests {
    /// The rule ids of docs/rules.md's tables: the ids a refusal can name.
    static func documentedRules() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 2, cells[1].hasPrefix("P"), cells[1].contains("-"),
                  cells[1].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "-" }) else { return nil }
            return cells[1]
        })
    }

    @Test func theEmbeddedStoryDecodesAndHoldsTogether() throws {
        let story = try DemoStory.embedded()
        #expect(story.chapters.map(\.title) == ["demo.chapter.registration", "demo.chapter.change", "demo.chapter.pause", "demo.chapter.transfer",
                                                "demo.chapter.audit", "demo.chapter.suspension", "demo.chapter.termination",
                                                "demo.chapter.reapplication"])
        let rules = try Self.documentedRules()
        #expect(rules.count >= 25 && rules.contains("P9-EVALUATION"), "docs/rules.md was read: \(rules.count) ids")
        let cast = Set(story.cast.map(\.name))
        var opened: Set<String> = [], signed: Set<String> = [], expected: [String] = []
        var beats = 0
        for chapter in story.chapters {
            var last: Date?
            for (index, entry) in chapter.beats.enumerated() {
                let place = "\(chapter.title) beat \(index + 1)"
                let beat = try #require(entry.beat, "\(place): not exactly one kind")
                beats += 1
                let time = try #require(DemoStory.clockTime(beat.at), "\(place): \(beat.at)")
                let instant = try #require(ISO8601DateFormatter().date(from: time))
                // Within a chapter time never goes backwards (the applicant signs its form before
                // the admins trust the XCA and before set-up, as the first beat of its chapter).
                if let last { #expect(instant >= last, "\(place) at \(beat.at) goes back in time") }
                last = instant
                var clone: String?
                switch beat {
                case .open(let open):
                    #expect(!opened.contains(open.name), "\(place): \(open.name) opened twice")
                    opened.insert(open.name)
                    clone = open.clone
                    #expect(cast.contains(open.signer), "\(place): \(open.signer)")
                case .step(let step):
                    #expect(opened.contains(step.case), "\(place): case \(step.case) used before it was opened")
                    #expect(Action(rawValue: step.action) != nil, "\(place): \(step.action)")
                    #expect(cast.contains(step.signer), "\(place): \(step.signer)")
                    for document in step.documents ?? [] { #expect(signed.contains(document.organization), "\(place)") }
                    if let rule = step.expect {
                        expected.append(rule)
                        #expect(rules.contains(rule), "\(place): \(rule) is no rule of docs/rules.md")
                    }
                    clone = step.clone
                case .sync(let sync): clone = sync.clone
                case .showOrganization(let show): clone = show.clone
                case .showDue(let show): clone = show.clone
                case .trustTestXCA(let trust):
                    clone = trust.clone
                    #expect(trust.admins.count == 2 && trust.admins.allSatisfy(cast.contains), "\(place)")
                case .applicantSigns(let signs): signed.insert(signs.organization)
                }
                if let clone { #expect(["edu1", "social1", "centre/edu", "centre/social"].contains(clone), "\(place): clone \(clone)") }
            }
        }
        #expect(beats > 80)
        #expect(expected == ["P8-THIRD-TRACKING-TERMINATES", "P9-EVALUATION", "P9-EVALUATION-CASES"])
        #expect(opened == ["reg", "change", "sports", "pause", "misfiled", "audit", "enforcement", "again"])
        // The applicant's signing is the one beat earlier than the set-up clock.
        let start = try #require(DemoStory.clockTime(story.start))
        let early = story.chapters.flatMap(\.beats).compactMap(\.beat).filter { (DemoStory.clockTime($0.at) ?? "") < start }
        #expect(early.map(\.kind) == ["applicantSigns"])
    }

    /// The embedded story with `old` replaced by `new` (which must occur exactly once).
    func edited(_ old: String, _ new: String) throws -> String {
        let text = DemoStory.text
        try #require(text.components(separatedBy: old).count == 2, "\(old) occurs once")
        return text.replacingOccurrences(of: old, with: new)
    }

    func refusal(_ text: String) -> CaseError? {
        do {
            _ = try DemoStory.load(text, file: "story.yaml")
            return nil
        } catch let error as CaseError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aBadStoryIsRefusedNamingTheBeat() throws {
        let cases: [(String, String, MessageID, [String])] = [
            ("      - step: {case: \"change\", action: \"initial.forward\"", "      - step: {case: \"chang\", action: \"initial.forward\"",
             .demoStoryUnknownName, ["chapter 2, beat 3 (step)", "`chang`"]),
            ("      - sync: {clone: \"social1\", at: \"2026-05-08T10:05\"}", "      - sync: {clone: \"social1\", at: \"2026-05-08T09:05\"}",
             .demoStoryTimeBackwards, ["chapter 4, beat 4 (sync)", "2026-05-08T09:05", "2026-05-08T10:00"]),
            ("      - sync: {clone: \"edu1\", at: \"2026-03-02T08:55\"}", "      - sync: {clone: \"edu2\", at: \"2026-03-02T08:55\"}",
             .demoStoryUnknownClone, ["chapter 1, beat 4 (sync)", "`edu2`", "centre/social"]),
            ("      - sync: {clone: \"edu1\", at: \"2026-03-02T08:55\"}", "      - sync: {clone: \"edu1\", at: \"2026-03-32T08:55\"}",
             .demoStoryBadTime, ["chapter 1, beat 4 (sync)", "2026-03-32T08:55"]),
            ("      - sync: {clone: \"edu1\", at: \"2026-03-02T08:55\"}", "      - {sync: {clone: \"edu1\", at: \"2026-03-02T08:55\"}, showDue: {clone: \"edu1\", at: \"2026-03-02T08:55\"}}",
             .demoStoryBeatKinds, ["chapter 1, beat 4", "sync, showDue"]),
            ("action: \"audit.close\"", "action: \"resolve\"", .demoStoryBadAction, ["chapter 5, beat 4 (step)", "`resolve`", "AUD", "audit.close"]),
            ("signer: \"hsu.reviewer\", at: \"2026-03-17T10:00\"", "signer: \"hsu.reviwer\", at: \"2026-03-17T10:00\"",
             .demoStoryUnknownSigner, ["chapter 3, beat 3 (step)", "`hsu.reviwer`"]),
            ("name: \"change\"", "name: \"reg\"", .demoStoryDuplicateName, ["chapter 2, beat 1 (open)", "`reg`"]),
            ("kind: \"CHG\"", "kind: \"CHANGE\"", .demoStoryBadKind, ["chapter 2, beat 1 (open)", "`CHANGE`", "CHG"]),
            ("title: \"demo.chapter.audit\"", "title: \"demo.chapter.audits\"", .demoStoryUnknownChapter, ["chapter 5", "demo.chapter.audits"]),
            ("documents: [{annex: 1, organization: \"12345678\"}]", "documents: [{annex: 1, organization: \"12345679\"}]",
             .demoStoryUnsignedForm, ["chapter 1, beat 6 (step)", "12345679"]),
        ]
        for (old, new, id, fragments) in cases {
            let error = try #require(refusal(try edited(old, new)), "\(new) was accepted")
            #expect(error.message.id == id, "\(new): \(error)")
            let text = error.message.render(.en)
            #expect(text.hasPrefix("story.yaml: "), "\(text)")
            for fragment in fragments { #expect(text.contains(fragment), "\(new): \(text) lacks \(fragment)") }
            #expect(error.message.render(.zhTW).contains("第 "), "\(error.message.render(.zhTW))")
        }
    }

    /// Strict decoding: an unknown key (a typo) names the file, the line, the key it most
    /// likely meant and the allowed keys.
    @Test func aTypoInABeatIsAnUnknownKey() throws {
        let error = try #require(refusal(try edited("at: \"2026-03-12T11:00\", syncFirst: true}", "at: \"2026-03-12T11:00\", syncfirst: true}")))
        #expect(error.message.id == .yamlUnknownKeyClosest && error.message.arguments["closest"] == "syncFirst", "\(error)")
        let text = error.message.render(.en)
        #expect(text.hasPrefix("story.yaml:") && text.contains("`syncfirst`") && text.contains("`syncFirst`"), "\(text)")
        let missing = try #require(refusal(try edited("      - sync: {clone: \"edu1\", at: \"2026-03-02T08:55\"}", "      - sync: {clone: \"edu1\"}")))
        #expect(missing.message.render(.en).contains("story.yaml"), "\(missing)")
    }
}
