import Foundation
import Testing
import TestSupport

/// Points 7-8 through the built binary: a Centre node suspends a registered user, the
/// deadline passes, `due` says the termination notice is due, the validator refuses
/// anything else, the Archives' early act is recorded with a finding, and `verify --json`
/// reports it in both languages.
@Suite struct EnforcementTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        try Self.prepare(w, repository: "edu.git", suspension: """
        letter: {number: "南市智字第1150000200號", date: 2026-05-05}
        items: [{number: 1, requirement: "Stop sending advertising"}]
        deadline: 2026-06-05
        tracker: "kao.staff"

        """)
        try w.directory.write("tracking.yaml", "result: \"incomplete\"\nnotes: \"Not done.\"\n")
        try w.directory.write("notice.yaml", """
        letter: {number: "南市智字第1150000300號", date: 2026-06-10}
        terminationDate: 2026-07-10
        archivesReport: {number: "南市智字第1150000301號", date: 2026-06-10}

        """)
        try w.directory.write("disabled.yaml", """
        disabledAt: 2026-07-09T17:30:00+08:00
        archivesReply: {number: "檔應字第1150004567號", date: 2026-07-10}

        """)
    }

    /// What an enforcement story needs: the Centre's node and people in the policy, the
    /// repository (bare when its name ends in `.git`), the data of an approved registration
    /// with its five annexes, the ENF grounds and the given suspension (`suspend.yaml`).
    static func prepare(_ w: Workspace, repository: String, suspension: String) throws {
        for name in ["centre", "kao.staff", "wu.clerk", "lee.centre"] {
            let made = try w.webjcase(["keys", "new", name])
            guard made.status == 0 else { throw WorkspaceError(made) }
        }
        let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
        try w.directory.write("policy.yaml", policy + """
          - {name: "centre", key: "\(w.publicKey("centre"))", roles: ["centre-node"]}
          - {name: "kao.staff", key: "\(w.publicKey("kao.staff"))", roles: ["centre-staff"]}
          - {name: "wu.clerk", key: "\(w.publicKey("wu.clerk"))", roles: ["clerk"]}
          - {name: "lee.centre", key: "\(w.publicKey("lee.centre"))", roles: ["centre-reviewer"]}

        """)
        w.now = "2026-03-02T08:00:00+08:00"
        try w.initRepository(repository, bare: repository.hasSuffix(".git"))
        try w.directory.write("approve.yaml", "note: \"Approved.\"\n")
        try w.directory.write("enf.yaml", """
        subject: "Advertising sent without consent"
        grounds: {items: [6], facts: "Sent advertising to 40 agencies.", evidence: ["Exchange log of 2026-05-04"], verified: true}

        """)
        try w.directory.write("suspend.yaml", suspension)
        for annex in 1...5 {
            try w.directory.write("annex-\(annex).pdf", "%PDF-1.4\n% annex \(annex)\n%%EOF\n")
        }
        try w.directory.write("submit-annexes.yaml", "letter: {number: \"南市例字第1150000123號\", date: 2026-02-27}\ndocuments:\n"
            + (1...5).map { "  - {annex: \($0), file: \"attachments/annex-\($0).pdf\"}\n" }.joined())
    }

    @discardableResult
    func run(_ arguments: [String], at time: String, expect status: Int32 = 0) throws -> RunResult {
        let result = try w.webjcase(arguments + ["--repo", "edu.git"], environment: ["WEBJCASE_NOW": time])
        #expect(result.status == status, "\(arguments): \(result)")
        return result
    }

    @Test func aMissedDeadlineLeadsToTerminationAndTheArchivesEarlyActIsRecorded() throws {
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        let submitted = try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        // The clerk named the scans; the signed step binds each by its digest.
        let step = try w.git(["--git-dir", "edu.git", "show", "main:cases/2026/edu1/REG-2026-edu1-0001/steps/0002-submit.yaml"])
        #expect(step.stdout.contains("sha256: "), "\(submitted) \(step)")
        try run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")

        // The Centre's node opens enforcement in the agency's repository.
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.node", "centre"]).status == 0)
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.key", w.directory.file("centre")]).status == 0)
        try run(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff"], at: "2026-05-04T09:00:00+08:00")
        try run(["step", "ENF-2026-centre-0001", "suspend", "--data", "suspend.yaml", "--key", "kao.staff"], at: "2026-05-05T09:00:00+08:00")
        let org = try run(["org", "12345678", "--json"], at: "2026-05-06T09:00:00+08:00")
        #expect(org.stdout.contains("\"status\" : \"suspended\""), "\(org)")

        let due = try run(["due", "--json"], at: "2026-05-10T09:00:00+08:00")
        let items = try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [[String: Any]]
        #expect(items?.count == 1)
        #expect(items?.first?["kind"] as? String == "improvement-deadline")
        #expect(items?.first?["at"] as? String == "2026-06-06T00:00:00+08:00")
        #expect(items?.first?["trackingsLeft"] as? Int == 3)
        #expect(try run(["due", "--ics", w.directory.file("due.ics")], at: "2026-05-10T09:00:00+08:00").status == 0)
        let calendar = try String(contentsOfFile: w.directory.file("due.ics"), encoding: .utf8)
        #expect(calendar.contains("DTSTART;VALUE=DATE:20260605\r\nDTEND;VALUE=DATE:20260606\r\n"), "\(calendar)")
        let soon = try run(["due", "--within", "7"], at: "2026-05-10T09:00:00+08:00")
        #expect(soon.stderr.contains("Nothing is due"), "\(soon)")

        // The period ended unimproved: only the termination notice may follow.
        let overdue = try run(["due"], at: "2026-06-08T09:00:00+08:00")
        #expect(overdue.stdout.contains("! 2026-06-06T00:00:00+08:00  ENF-2026-centre-0001  12345678: the termination notice must be sent now"), "\(overdue)")
        let chinese = try run(["due", "--lang", "zh-TW"], at: "2026-06-08T09:00:00+08:00")
        #expect(chinese.stdout.contains("應即發出中止通知"), "\(chinese)")
        let tracking = try run(["step", "ENF-2026-centre-0001", "tracking", "--data", "tracking.yaml", "--key", "kao.staff"],
                               at: "2026-06-08T09:00:00+08:00", expect: 1)
        #expect(tracking.stderr.contains("[P8-DEADLINE-TERMINATES]"), "\(tracking)")
        #expect(tracking.stderr.contains("[P8-TRACKING-PERIOD]"), "\(tracking)")
        try run(["step", "ENF-2026-centre-0001", "termination.notice", "--data", "notice.yaml", "--key", "kao.staff"], at: "2026-06-10T09:00:00+08:00")
        // Terminated from the termination date, not from the notice.
        let before = try run(["org", "12345678", "--json"], at: "2026-07-09T23:59:00+08:00")
        #expect(before.stdout.contains("\"status\" : \"suspended\""), "\(before)")
        let dueNotice = try run(["due", "--json"], at: "2026-06-10T10:00:00+08:00")
        #expect(dueNotice.stdout.contains("\"at\" : \"2026-07-09T18:00:00+08:00\""), "\(dueNotice)")
        #expect(dueNotice.stdout.contains("\"kind\" : \"termination\""), "\(dueNotice)")

        let disabled = try run(["step", "ENF-2026-centre-0001", "archives.service-disabled", "--data", "disabled.yaml", "--key", "kao.staff"],
                               at: "2026-07-10T09:00:00+08:00")
        #expect(disabled.stderr.contains("[P8-ARCHIVES-1800]"), "\(disabled)")
        let status = try run(["org", "12345678", "--json"], at: "2026-07-10T10:00:00+08:00")
        #expect(status.stdout.contains("\"status\" : \"terminated\""), "\(status)")

        let verify = try run(["verify", "--json"], at: "2026-07-11T09:00:00+08:00")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(report?["commits"] as? Int == 9)
        #expect(report?["refused"] as? Int == 0)
        let findings = report?["findings"] as? [[String: Any]]
        #expect(findings?.map { $0["rule"] as? String } == ["P8-ARCHIVES-1800"])
        let message = findings?.first?["message"] as? [String: String]
        #expect(message?["en"]?.contains("18:00") == true)
        #expect(message?["zh-TW"]?.contains("檔案管理局") == true)
        #expect((findings?.first?["commit"] as? String)?.count == 40)

        // The dossier marks the Archives' step as recorded with that finding, the rest verified.
        let dossier = try run(["report", "ENF-2026-centre-0001", "--format", "json"], at: "2026-07-11T09:00:00+08:00")
        let object = try JSONSerialization.jsonObject(with: Data(dossier.stdout.utf8)) as? [String: Any]
        let entries = object?["entries"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["mark"] as? String } == ["verified", "verified", "verified", "recorded"], "\(dossier.stdout.prefix(600))")
        let problems = entries.last?["problems"] as? [[String: Any]] ?? []
        let documents = entries.last?["documents"] as? [[String: Any]] ?? []
        #expect((problems + documents.flatMap { $0["problems"] as? [[String: Any]] ?? [] }).map { $0["rule"] as? String } == ["P8-ARCHIVES-1800"])
        let enforcement = object?["enforcement"] as? [String: Any]
        #expect(enforcement?["serviceDisableFrom"] as? String == "2026-07-09T18:00:00+08:00")
        #expect(enforcement?["serviceDisabledAt"] as? String == "2026-07-09T17:30:00+08:00")
        let html = try run(["report", "ENF-2026-centre-0001"], at: "2026-07-11T09:00:00+08:00")
        #expect(html.stdout.contains("data-mark=\"recorded\""), "\(html.stdout.suffix(300))")
    }

    /// DESIGN §2: personal fields enter the record as salted commitments; the values stay
    /// in the node's personal store; once that store forgets them, the record still verifies.
    @Test func personalValuesStayOutOfTheRecord() throws {
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.node", "centre"]).status == 0)
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.key", w.directory.file("centre")]).status == 0)
        try run(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff"], at: "2026-05-04T09:00:00+08:00")
        try run(["step", "ENF-2026-centre-0001", "suspend", "--data", "suspend.yaml", "--key", "kao.staff"], at: "2026-05-05T09:00:00+08:00")
        try w.directory.write("report.yaml", """
        channel: "email"
        receivedAt: 2026-05-20T10:00:00+08:00
        sender: {value: "contact@example.org.tw"}
        items: [{number: 1, handled: "Advertising stopped"}]
        documents: [{annex: 8, file: "attachments/annex-8.pdf"}]

        """)
        try w.directory.write("phone.yaml", """
        calledAt: 2026-05-20T15:00:00+08:00
        contact: {value: "王小明"}
        phone: {value: "06-2991111"}

        """)
        try w.directory.write("annex-8.pdf", "%PDF-1.4\n% the user's Annex 8\n%%EOF\n")
        try run(["step", "ENF-2026-centre-0001", "improvement.report", "--data", "report.yaml", "--key", "wu.clerk", "--attach", "annex-8.pdf"],
                at: "2026-05-20T11:00:00+08:00")
        try run(["step", "ENF-2026-centre-0001", "improvement.phone-confirmation", "--data", "phone.yaml", "--key", "wu.clerk"],
                at: "2026-05-20T16:00:00+08:00")

        // Nowhere in the record's history, every object included.
        let everything = try w.git(["--git-dir", "edu.git", "log", "-p", "--all", "--format=%B"])
        #expect(everything.stdout.contains("phone: sha256:") || everything.stdout.contains("phone: \"sha256:"), "\(everything.stdout.suffix(1500))")
        for value in ["王小明", "06-2991111", "contact@example.org.tw"] {
            #expect(!everything.stdout.contains(value), "\(value) is in the case record")
        }
        let checked = try run(["personal", "check", "ENF-2026-centre-0001", "--json"], at: "2026-05-21T09:00:00+08:00")
        let checks = try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [[String: Any]]
        #expect(checks?.count == 3)
        #expect(checks?.allSatisfy { $0["state"] as? String == "held" } == true, "\(checked)")
        let commitment = try #require(checks?.last?["commitment"] as? String)
        let shown = try run(["personal", "show", commitment], at: "2026-05-21T09:00:00+08:00")
        #expect(shown.stdout == "06-2991111\n")

        // The store forgets (a deletion request): the record verifies, the value is withheld.
        try FileManager.default.removeItem(atPath: w.gitDirectory("edu.git") + "/webjcase/personal.git")
        let withheld = try run(["personal", "show", commitment], at: "2026-05-21T09:00:00+08:00", expect: 1)
        #expect(withheld.stderr.contains("withheld"), "\(withheld)")
        let after = try run(["personal", "check", "ENF-2026-centre-0001", "--json"], at: "2026-05-21T09:00:00+08:00")
        #expect(!after.stdout.contains("\"held\""), "\(after)")
        try run(["verify"], at: "2026-05-21T09:00:00+08:00")
    }

    /// DESIGN §5: a hub holds one repository per jurisdiction and the cross-case rules look
    /// across them: an enforcement case in `social` follows a registration approved in
    /// `edu`, and stops a new registration in `edu` while it is under way.
    @Test func theRulesLookAcrossTheJurisdictionsOfAHub() throws {
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")

        let made = try w.webjcase(["init", "social.git", "--bare", "--jurisdiction", "social", "--name", "臺南市政府社會局",
                                   "--node", "centre", "--policy", "policy.yaml", "--key", "centre"],
                                  environment: ["WEBJCASE_NOW": "2026-04-01T09:00:00+08:00"])
        #expect(made.status == 0, "\(made)")
        let opened = try w.webjcase(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff", "--repo", "social.git"],
                                    environment: ["WEBJCASE_NOW": "2026-05-04T09:00:00+08:00"])
        #expect(opened.status == 0, "the user is active in edu: \(opened)")

        let again = try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"],
                            at: "2026-05-05T09:00:00+08:00", expect: 1)
        #expect(again.stderr.contains("[P9-OPEN-ENFORCEMENT]") && again.stderr.contains("ENF-2026-centre-0001"), "\(again)")

        // Alone, the social repository would not know the user: moved away from its
        // sibling, its history no longer verifies.
        try run(["verify"], at: "2026-05-06T09:00:00+08:00")
        let alone = w.directory.file("alone")
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: w.directory.file("social.git"), toPath: alone + "/social.git")
        let lonely = try w.webjcase(["verify", "--repo", alone + "/social.git"], environment: ["WEBJCASE_NOW": "2026-05-06T09:00:00+08:00"])
        #expect(lonely.status == 1 && lonely.stderr.contains("[P5-STATUS]"), "\(lonely)")
        try FileManager.default.moveItem(atPath: alone + "/social.git", toPath: w.directory.file("social.git"))
        let together = try w.webjcase(["verify", "--repo", "social.git"], environment: ["WEBJCASE_NOW": "2026-05-06T09:00:00+08:00"])
        #expect(together.status == 0, "\(together)")
    }
}
