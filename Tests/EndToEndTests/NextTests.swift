import Foundation
import Testing
import TestSupport

/// `webjcase next` through the built binary, on a repository made with it: an application
/// waiting on its applicant, a suspension and its improvement period, the termination
/// notice once the period ends, the dossier's "next" box, and bad input.
@Suite struct NextTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        try EnforcementTests.prepare(w, repository: "edu.git", suspension: """
        letter: {number: "南市智字第1150000200號", date: 2026-05-05}
        items: [{number: 1, requirement: "Stop sending advertising"}]
        deadline: 2026-06-05
        tracker: "kao.staff"

        """)
    }

    @discardableResult
    func run(_ arguments: [String], at time: String, expect status: Int32 = 0) throws -> RunResult {
        let result = try w.webjcase(arguments + ["--repo", "edu.git"], environment: ["WEBJCASE_NOW": time])
        #expect(result.status == status, "\(arguments): \(result)")
        return result
    }

    func json(_ result: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    func options(_ report: [String: Any]) -> [String: [String: Any]] {
        Dictionary((report["options"] as? [[String: Any]] ?? []).map { ($0["action"] as? String ?? "", $0) }) { a, _ in a }
    }

    @Test func whatMayHappenNextFromOpenToTheTerminationNotice() throws {
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        let waiting = try run(["next", "REG-2026-edu1-0001"], at: "2026-03-02T10:00:00+08:00")
        #expect(waiting.stdout.contains("Waiting on the applicant"), "\(waiting)")
        #expect(waiting.stdout.contains("submit (all-annexes | annexes-missing) — clerk: chen.clerk, wu.clerk"), "\(waiting)")
        let chinese = try run(["next", "REG-2026-edu1-0001", "--lang", "zh-TW"], at: "2026-03-02T10:00:00+08:00")
        #expect(chinese.stdout.contains("等候申請者"), "\(chinese)")

        try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        let review = try json(try run(["next", "REG-2026-edu1-0001", "--json"], at: "2026-03-02T10:00:00+08:00"))
        #expect(review["stage"] as? String == "submitted" && review["waitingOnApplicant"] as? Bool == false)
        let forward = options(review)["initial.forward"]
        #expect(forward?["possible"] as? Bool == true && forward?["signers"] as? [String] == ["wang.reviewer"], "\(review)")
        // Every annex came: no rejection for documents that cannot be corrected.
        #expect(options(review)["initial.reject"]?["outcomes"] as? [String] == ["ineligible", "false-statement"], "\(review)")
        try run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")
        let ended = try json(try run(["next", "REG-2026-edu1-0001", "--json"], at: "2026-03-05T10:00:00+08:00"))
        #expect(ended["final"] as? Bool == true && (ended["options"] as? [Any])?.isEmpty == true)

        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.node", "centre"]).status == 0)
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.key", w.directory.file("centre")]).status == 0)
        try run(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff"], at: "2026-05-04T09:00:00+08:00")
        try run(["step", "ENF-2026-centre-0001", "suspend", "--data", "suspend.yaml", "--key", "kao.staff"], at: "2026-05-05T09:00:00+08:00")

        // In the period: replies, extension requests and trackings by its end (2026-06-05 is a
        // Friday: the end of that day); the termination notice only once it has passed.
        let ends = "2026-06-06T00:00:00+08:00"
        let during = try json(try run(["next", "ENF-2026-centre-0001", "--json"], at: "2026-05-10T09:00:00+08:00"))
        let now = options(during)
        #expect(now["tracking"]?["possible"] as? Bool == true && now["tracking"]?["tracker"] as? String == "kao.staff")
        #expect(now["tracking"]?["until"] as? String == ends)
        let deadline = now["improvement.report"]?["deadline"] as? [String: Any]
        #expect(deadline?["kind"] as? String == "improvement-period" && deadline?["date"] as? String == "2026-06-05" && deadline?["ends"] as? String == ends)
        #expect(now["improvement.report"]?["recordedFrom"] as? String == ends)
        // A notice for a new act may go now; one on the case's grounds once the period ended.
        #expect(now["termination.notice"]?["outcomes"] as? [String] == ["new-act"])
        let later = now["termination.notice"]?["laterOutcomes"] as? [[String: Any]]
        #expect(later?.first?["outcome"] as? String == "case-grounds" && later?.first?["from"] as? String == ends, "\(during)")
        let resolve = now["resolve"]?["refusals"] as? [[String: Any]]
        #expect(resolve?.contains { $0["rule"] as? String == "P8-RESOLVE" && ($0["zh-TW"] as? String)?.isEmpty == false } == true, "\(during)")
        let text = try run(["next", "ENF-2026-centre-0001"], at: "2026-05-10T09:00:00+08:00")
        #expect(text.stdout.contains("  termination.notice (new-act) — centre-staff: kao.staff\n    case-grounds: from \(ends)\n"), "\(text)")

        // The period passed unimproved: the notice must follow, and a reply is still recorded.
        let after = options(try json(try run(["next", "ENF-2026-centre-0001", "--json", "--at", "2026-06-08T09:00:00+08:00"],
                                             at: "2026-05-10T09:00:00+08:00")))
        #expect(Set(after.filter { $0.value["possible"] as? Bool == true }.keys) == ["termination.notice", "improvement.report"], "\(after)")
        #expect((after["improvement.report"]?["findings"] as? [[String: Any]])?.first?["rule"] as? String == "P8-LATE-REPLY")
        #expect((after["tracking"]?["refusals"] as? [[String: Any]])?.contains { $0["rule"] as? String == "P8-TRACKING-PERIOD" } == true)

        // The dossier carries the same box, in the page and in its JSON.
        let dossier = try json(try run(["report", "ENF-2026-centre-0001", "--format", "json"], at: "2026-05-10T09:00:00+08:00"))
        let box = try #require(dossier["next"] as? [String: Any])
        #expect(options(box)["tracking"]?["until"] as? String == ends)
        let markdown = try run(["report", "ENF-2026-centre-0001", "--format", "md"], at: "2026-05-10T09:00:00+08:00")
        #expect(markdown.stdout.contains("## What may happen next") && markdown.stdout.contains("- **tracking (completed | incomplete)"), "\(markdown.stdout)")
        let html = try run(["report", "ENF-2026-centre-0001", "--lang", "zh-TW"], at: "2026-05-10T09:00:00+08:00")
        #expect(html.stdout.contains("<section id=\"next\"><h2>後續可辦理事項</h2>"), "\(html.stdout.suffix(2000))")
        let approved = try json(try run(["report", "REG-2026-edu1-0001", "--format", "json"], at: "2026-05-10T09:00:00+08:00"))
        #expect(approved["next"] == nil, "an ended case has no next box")
    }

    @Test func badInputSaysWhatIsWrong() throws {
        let bad = try run(["next", "REG-2026"], at: "2026-03-02T10:00:00+08:00", expect: 2)
        #expect(bad.stderr.contains("REG-2026"), "\(bad)")
        let missing = try run(["next", "REG-2026-edu1-0042"], at: "2026-03-02T10:00:00+08:00", expect: 2)
        #expect(missing.stderr.contains("REG-2026-edu1-0042"), "\(missing)")
        let time = try run(["next", "REG-2026-edu1-0001", "--at", "tomorrow"], at: "2026-03-02T10:00:00+08:00", expect: 2)
        #expect(time.stderr.contains("--at") && time.stderr.contains("tomorrow"), "\(time)")
    }
}
