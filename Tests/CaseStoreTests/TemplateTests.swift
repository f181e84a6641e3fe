import Foundation
import Testing
import CaseModel
import CaseYAML
@testable import CaseStore

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct TemplateTests {
    /// The template built into the binary is exactly repo-template/ and hooks/ on disk.
    @Test func embeddedTemplateMatchesTheSourceTree() throws {
        for (directory, embedded) in [("repo-template", Template.repositoryFiles.map { ($0.path, $0.data) }),
                                      ("hooks", Template.hookScripts.map { ($0.name, $0.data) })] {
            let root = packageRoot.appendingPathComponent(directory)
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            var onDisk: [String: Data] = [:]
            while let url = enumerator?.nextObject() as? URL {
                guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
                onDisk[relative] = try Data(contentsOf: url)
            }
            let built = Dictionary(uniqueKeysWithValues: embedded)
            #expect(built == onDisk, "\(directory) changed: run scripts/embed-template")
        }
    }

    @Test func templateDocumentsPassTheStrictReader() throws {
        let config = try StrictYAML.decode(RepositoryConfig.self, from: try #require(Template.file("webjcase.yaml")), file: "webjcase.yaml")
        #expect(config.format == formatVersion)
        #expect(config.attachments == .defaults)
        let (policy, keys) = try PolicyFile.check(try #require(Template.file("trust/policy.yaml")), file: "trust/policy.yaml")
        #expect(policy.version == 1)
        #expect(keys.byFingerprint.count == policy.identities.count)
    }

    @Test(arguments: [2026, 2027])
    func calendarsAreWellFormed(year: Int) throws {
        let path = "calendar/\(year).yaml"
        let calendar = try StrictYAML.decode(CalendarFile.self, from: try #require(Template.file(path)), file: path)
        #expect(calendar.year == year)
        #expect(calendar.timeZone == "Asia/Taipei")
        #expect(!calendar.source.title.isEmpty && !calendar.source.publisher.isEmpty)
        let gregorian = Taipei.calendar
        func weekday(_ d: CalendarDate) -> Int {
            gregorian.component(.weekday, from: gregorian.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!)
        }
        for day in calendar.restDays {
            #expect(day.date.year == year)
            #expect(![1, 7].contains(weekday(day.date)), "\(day.date) is a rest day listed on a weekend")
        }
        for day in calendar.workdays {
            #expect([1, 7].contains(weekday(day.date)), "\(day.date) is a make-up workday on a weekday")
        }
        let dates = calendar.restDays.map(\.date)
        #expect(dates == dates.sorted() && Set(dates).count == dates.count)
        #expect(dates.contains(CalendarDate(year: year, month: 1, day: 1)!))
    }

    @Test func hookScriptsCallTheInstalledBinary() throws {
        let script = String(decoding: try #require(Template.hookScript("pre-receive", binary: "/opt/web jcase/bin/webjcase")), as: UTF8.self)
        #expect(script.contains("WEBJCASE=\"/opt/web jcase/bin/webjcase\""))
        #expect(!script.contains("${WEBJCASE"), "the pusher's environment does not choose the validator")
        #expect(script.contains("hook pre-receive"))
    }
}

@Suite struct PolicyFileTests {
    private func problem(_ policy: String) -> CaseError? {
        do {
            _ = try PolicyFile.check(Data(policy.utf8), file: "policy.yaml")
            return nil
        } catch {
            return error as? CaseError
        }
    }

    private let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOc0EHsHmeomRNxQOsN/CnkVOvvUQfrdNa1+wu94czOt"

    @Test func identityProblemsAreNamedInBothLanguages() throws {
        let twice = problem("""
        kind: policy
        version: 1
        mode: test
        threshold: 1
        identities:
          - {name: a, key: "\(key)", roles: [admin]}
          - {name: a, key: "\(key) x", roles: [clerk]}
        """)
        #expect(twice?.message.id == .policyIdentity)
        #expect(twice?.message.render(.en) == "policy.yaml: identity `a`: the name appears more than once. Correct the policy and have the admins sign it again.")
        #expect(twice?.message.render(.zhTW).contains("名稱重複出現") == true)
        let reused = problem("""
        kind: policy
        version: 1
        mode: test
        threshold: 1
        identities:
          - {name: a, key: "\(key)", roles: [admin]}
          - {name: b, key: "\(key)", roles: [clerk]}
        """)
        #expect(reused?.message.render(.en).contains("identity `b`: its key is already another identity's") == true)
        let threshold = problem("""
        kind: policy
        version: 1
        mode: test
        threshold: 2
        identities:
          - {name: a, key: "\(key)", roles: [admin]}
        """)
        #expect(threshold?.message.arguments["field"] == "threshold")
    }
}
