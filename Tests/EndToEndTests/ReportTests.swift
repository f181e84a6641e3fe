import Foundation
import Testing
import TestSupport

/// `webjcase report`: an enforcement case through suspension, an emailed report confirmed
/// by phone, an extension, three incomplete trackings, the termination notice and the
/// Archives' act; its dossier rendered by headless Chromium (Debian's `chromium`), the
/// tracking table and the marks read back from the page, and a screenshot written to
/// `.build/screenshots/` for people to look at.
@Suite struct ReportTests {
    let story: EnforcementTests
    var w: Workspace { story.w }

    init() throws {
        story = try EnforcementTests()
        let files = [
            "report.yaml": "channel: \"email\"\nreceivedAt: 2026-05-20T10:00:00+08:00\nitems: [{number: 1, handled: \"Campaign module removed\"}]\ndocuments: [{annex: 8, file: \"attachments/annex-8.pdf\"}]\n",
            "annex-8.pdf": "%PDF-1.4\n% the user's Annex 8\n%%EOF\n",
            "phone.yaml": "calledAt: 2026-05-20T15:00:00+08:00\nnote: \"The contact confirmed the e-mail.\"\n",
            "extension-request.yaml": "requestedUntil: 2026-06-30\nreason: \"The vendor needs four more weeks.\"\n",
            "extension-granted.yaml": "granted: true\nuntil: 2026-06-30\n",
            "tracking-1.yaml": "result: \"incomplete\"\nnotes: \"Item 1 <b>not</b> done yet.\"\n",
            "tracking-2.yaml": "result: \"incomplete\"\nnotes: \"Still sending.\"\n",
            "tracking-3.yaml": "result: \"incomplete\"\nnotes: \"No change.\"\n",
            "notice-late.yaml": """
            letter: {number: "南市智字第1150000300號", date: 2026-06-22}
            terminationDate: 2026-07-10
            archivesReport: {number: "南市智字第1150000301號", date: 2026-06-22}

            """,
            "disabled-on-time.yaml": "disabledAt: 2026-07-09T18:30:00+08:00\narchivesReply: {number: \"檔應字第1150004567號\", date: 2026-07-10}\n",
        ]
        for (name, text) in files { try w.directory.write(name, text) }
    }

    func walkTheStory() throws {
        try story.run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        try story.run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        try story.run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try story.run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.node", "centre"]).status == 0)
        #expect(try w.git(["--git-dir", "edu.git", "config", "webjcase.key", w.directory.file("centre")]).status == 0)
        let steps: [(String, String, String, String)] = [
            ("suspend", "suspend.yaml", "kao.staff", "2026-05-05T09:00:00+08:00"),
            ("improvement.report", "report.yaml", "wu.clerk", "2026-05-20T11:00:00+08:00"),
            ("improvement.phone-confirmation", "phone.yaml", "wu.clerk", "2026-05-20T16:00:00+08:00"),
            ("extension.request", "extension-request.yaml", "wu.clerk", "2026-05-25T10:00:00+08:00"),
            ("extension.decision", "extension-granted.yaml", "kao.staff", "2026-05-26T10:00:00+08:00"),
            ("tracking", "tracking-1.yaml", "kao.staff", "2026-06-01T10:00:00+08:00"),
            ("tracking", "tracking-2.yaml", "kao.staff", "2026-06-10T10:00:00+08:00"),
            ("tracking", "tracking-3.yaml", "kao.staff", "2026-06-20T10:00:00+08:00"),
            ("termination.notice", "notice-late.yaml", "kao.staff", "2026-06-22T10:00:00+08:00"),
            ("archives.service-disabled", "disabled-on-time.yaml", "kao.staff", "2026-07-10T09:00:00+08:00"),
        ]
        try story.run(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff"], at: "2026-05-04T09:00:00+08:00")
        for (action, data, signer, at) in steps {
            let attach = action == "improvement.report" ? ["--attach", "annex-8.pdf"] : []
            try story.run(["step", "ENF-2026-centre-0001", action, "--data", data, "--key", signer] + attach, at: at)
        }
    }

    @Test func theEnforcementDossierRendersInChromiumWithItsTrackingTableAndMarks() throws {
        try walkTheStory()
        let made = try story.run(["report", "ENF-2026-centre-0001", "--format", "html", "--out", w.directory.file("enf.html")],
                                 at: "2026-07-11T09:00:00+08:00", expect: 0)
        #expect(made.stdout.isEmpty, "\(made)")
        let html = try String(contentsOfFile: w.directory.file("enf.html"), encoding: .utf8)
        // Self-contained: nothing to fetch, and the data escaped.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "the page loads something")
        #expect(html.contains("Item 1 &lt;b&gt;not&lt;/b&gt; done yet."))
        #expect(html.contains("@media print"))

        let dom = try Chromium.dumpDOM(w.directory.file("enf.html"))
        let rows = Chromium.elements(dom, tag: "tr", class: "tracking")
        #expect(rows.count == 3, "\(rows)")
        #expect(rows.first?.contains("<td>1</td><td>2026-06-01T10:00:00+08:00</td><td>kao.staff</td><td>improvement incomplete</td>") == true, "\(rows)")
        #expect(rows.last?.contains("No change.") == true)
        // Every step verified: 11 steps, each with its mark, each document with its mark.
        let steps = Chromium.elements(dom, tag: "tr", class: "step verified")
        #expect(steps.count == 11, "\(steps.count) verified steps")
        #expect(dom.components(separatedBy: "data-mark=\"verified\"").count - 1 >= 12)
        #expect(!dom.contains("data-mark=\"refused\""))
        #expect(dom.contains("2026-06-30"), "the extended deadline")
        #expect(dom.contains("2026-07-09T18:00:00+08:00"), "the Archives' 18:00 the day before")
        #expect(dom.contains("2026-07-09T18:30:00+08:00"), "when the service was disabled")
        #expect(dom.contains("centre-staff"), "the signer's role")

        let screenshot = try Chromium.screenshot(w.directory.file("enf.html"), name: "enforcement-dossier.png")
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot \(screenshot) is \(size) bytes")
        print("enforcement dossier screenshot: \(screenshot)")
    }

    @Test func markdownChineseAndTheIndexFilteredByState() throws {
        try walkTheStory()
        let markdown = try story.run(["report", "ENF-2026-centre-0001", "--format", "md", "--lang", "zh-TW"], at: "2026-07-11T09:00:00+08:00")
        #expect(markdown.stdout.contains("# 案件 ENF-2026-centre-0001 卷宗"), "\(markdown.stdout.prefix(400))")
        #expect(markdown.stdout.contains("| 3 | 2026-06-20T10:00:00+08:00 | kao.staff | 未完成改善 | No change. |"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("已中止"))

        let all = try story.run(["report", "--all", "--out", w.directory.file("dossiers")], at: "2026-07-11T09:00:00+08:00", expect: 0)
        #expect(all.stderr.contains("Wrote 2 dossier(s)"), "\(all)")
        for name in ["index.html", "REG-2026-edu1-0001.html", "ENF-2026-centre-0001.html"] {
            #expect(FileManager.default.fileExists(atPath: w.directory.file("dossiers/" + name)), "\(name)")
        }
        let index = try Chromium.dumpDOM(w.directory.file("dossiers/index.html"), fragment: "state=terminated")
        let cases = Chromium.elements(index, tag: "tr", class: "case")
        #expect(cases.count == 2)
        #expect(cases.filter { $0.contains(" hidden") }.count == 1, "\(cases)")
        #expect(cases.first { !$0.contains(" hidden") }?.contains("ENF-2026-centre-0001") == true)
        #expect(Chromium.elements(index, tag: "tr", class: "organization").first?.contains("terminated") == true)

        // Usage: a case or --all with --out, not both, not neither.
        let neither = try story.run(["report"], at: "2026-07-11T09:00:00+08:00", expect: 2)
        #expect(neither.stderr.contains("--all"), "\(neither)")
        let missing = try story.run(["report", "REG-2026-edu1-0009"], at: "2026-07-11T09:00:00+08:00", expect: 2)
        #expect(missing.stderr.contains("REG-2026-edu1-0009"), "\(missing)")
    }
}

/// Debian's headless Chromium, as a judge of what a person sees.
enum Chromium {
    static let binary: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String]) throws -> RunResult {
        guard let binary else {
            throw WorkspaceError(RunResult(status: 127, stdout: "", stderr: "chromium is not installed: run scripts/setup"))
        }
        let profile = try TemporaryDirectory("chromium")
        // As root (CI containers) Chromium needs --no-sandbox; `timeout` in case it hangs.
        return try runProcess("/usr/bin/timeout", ["120", binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                   "--no-first-run", "--user-data-dir=\(profile.path)", "--virtual-time-budget=2000"] + arguments,
                              environment: ["HOME": profile.path])
    }

    /// The page's DOM after its scripts ran.
    static func dumpDOM(_ file: String, fragment: String? = nil) throws -> String {
        let url = URL(fileURLWithPath: file).absoluteString + (fragment.map { "#" + $0 } ?? "")
        let result = try run(["--dump-dom", url])
        guard result.status == 0, result.stdout.contains("</html>") else { throw WorkspaceError(result) }
        return result.stdout
    }

    /// A full-page PNG in `.build/screenshots/` of this package.
    static func screenshot(_ file: String, name: String) throws -> String {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/screenshots").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let output = directory + "/" + name
        try? FileManager.default.removeItem(atPath: output)
        let result = try run(["--screenshot=\(output)", "--window-size=1280,2600", "--hide-scrollbars", URL(fileURLWithPath: file).absoluteString])
        guard FileManager.default.fileExists(atPath: output) else { throw WorkspaceError(result) }
        return output
    }

    /// The outer HTML of every `<tag class="…">` whose class attribute is exactly `cls`
    /// (Chromium serializes attributes as written).
    static func elements(_ dom: String, tag: String, class cls: String) -> [String] {
        var found: [String] = []
        var rest = Substring(dom)
        let close = "</\(tag)>"
        while let start = rest.range(of: "<\(tag) class=\"\(cls)\"") {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }
}
