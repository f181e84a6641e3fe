import Foundation
import Testing
import CaseModel
import CaseStore
import CaseReport

/// The renderers take a `Dossier` as it is: every text from a case (subjects, details,
/// tracking notes, findings) may hold anything a clerk typed, and must reach the page as
/// text, never as markup or a broken table.
@Suite struct DossierRenderingTests {
    static let hostile = "<script>alert('x')</script> & \"quoted\""

    @Test func htmlEscapesEveryTextFromTheCase() throws {
        let dossier = try Self.dossier()
        let html = DossierHTML.render(dossier, language: .en)
        #expect(!html.contains("<script>alert"), "a case's text became markup")
        #expect(!html.contains("<b>bold</b>"))
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        // The subject, a step's detail, the signer's certificate subject, a tracking note, a finding.
        #expect(Self.count(escaped, in: html) >= 5, "\(html)")
        #expect(html.contains("&lt;b&gt;bold&lt;/b&gt; | pipe"))
        #expect(html.contains("Tom &amp; Jerry"))
        // A personal field shows that it is personal, never its value.
        #expect(html.contains("personal data, kept in the personal store"))
        #expect(!html.contains("A123456789"))
        #expect(html.contains("id=\"step-1\"") && html.contains("id=\"step-2\""))
        #expect(html.contains("data-mark=\"refused\""))
    }

    @Test func markdownKeepsTableRowsWhole() throws {
        let dossier = try Self.dossier()
        let md = DossierMarkdown.render(dossier, language: .en)
        // The tracking note with a pipe and a line break stays one cell of one row.
        let row = try #require(md.split(separator: "\n").first { $0.contains("night shift") })
        #expect(row.hasPrefix("| 1 |"))
        #expect(row.contains("first line<br>second \\| night shift"))
        #expect(!md.contains("second | night shift"))
        // Each table row has as many cells as its header.
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.hasPrefix("|---") {
            let header = lines[index - 1]
            let columns = Self.cells(header)
            var next = index + 1
            while next < lines.count, lines[next].hasPrefix("| ") {
                #expect(Self.cells(lines[next]) == columns, "\(lines[next])")
                next += 1
            }
        }
        // A subject in the summary list: its line break does not end the item.
        #expect(md.contains("- **Subject**: line one<br>line two \\| tail <script>"))
        #expect(md.contains("`[S-DOCUMENT]`"))
    }

    @Test func bothLanguagesLabelTheDossier() throws {
        let dossier = try Self.dossier()
        let english = DossierHTML.render(dossier, language: .en)
        let chinese = DossierHTML.render(dossier, language: .zhTW)
        #expect(english.contains("<html lang=\"en\""))
        #expect(chinese.contains("<html lang=\"zh-Hant-TW\""))
        for label in ["Dossier of case ENF-2026-0001", "Timeline", "Tracking evaluation", "suspended with an improvement notice",
                      "improvement incomplete", "failed verification"] {
            #expect(english.contains(label), "\(label)")
        }
        for label in ["案件 ENF-2026-0001 卷宗", "辦理歷程", "追蹤評核表", "停權並限期改善", "未完成改善", "驗證失敗"] {
            #expect(chinese.contains(label), "\(label)")
            #expect(!english.contains(label), "\(label)")
        }
        // A finding is printed in the reader's language.
        #expect(english.contains("the document was altered"))
        #expect(chinese.contains("文件遭竄改"))
        let markdown = DossierMarkdown.render(dossier, language: .zhTW)
        #expect(markdown.hasPrefix("# 案件 ENF-2026-0001 卷宗\n"))
        #expect(markdown.contains("## 辦理歷程"))
    }

    @Test func theIndexListsCasesAndOrganizationsEscaped() throws {
        let dossier = try Self.dossier()
        let other = try Self.dossier(id: "REG-2026-0002", kind: "REG", state: "approved", organization: "87654321")
        let organizations = [(id: "12345678", status: "suspended"), (id: "87654321", status: "active")]
        let html = ReportIndex.render([dossier, other], organizations: organizations, authority: "臺南市政府<教育局>",
                                      language: .en)
        #expect(html.contains("Cases of 臺南市政府&lt;教育局&gt;"))
        #expect(!html.contains("<教育局>"))
        #expect(html.contains("<a href=\"ENF-2026-0001.html\">ENF-2026-0001</a>"))
        #expect(html.contains("<a href=\"REG-2026-0002.html\">REG-2026-0002</a>"))
        #expect(ReportIndex.fileName(other) == "REG-2026-0002.html")
        // The filter offers each state once, in the reader's words.
        #expect(html.contains("<option value=\"approved\">approved</option>"))
        #expect(html.contains("<option value=\"improving\">improvement period</option>"))
        #expect(html.contains("data-state=\"improving\""))
        #expect(Self.count("<tr class=\"case\"", in: html) == 2)
        #expect(Self.count("<tr class=\"organization\"", in: html) == 2)
        #expect(html.contains("suspended") && html.contains("in use"))
        #expect(!html.contains("<script>alert"))
        let chinese = ReportIndex.render([dossier, other], organizations: organizations, authority: "臺南市政府教育局", language: .zhTW)
        #expect(chinese.contains("臺南市政府教育局 案件一覽"))
        #expect(chinese.contains("停權中") && chinese.contains("使用中"))
        let markdown = ReportIndex.markdown([dossier, other], organizations: organizations, authority: "臺南市政府教育局", language: .en)
        #expect(markdown.contains("| [ENF-2026-0001](ENF-2026-0001.md) ✗ failed verification | enforcement | 12345678 | improvement period | 2 |"))
        #expect(markdown.contains("| 87654321 | in use |"))
    }

    // MARK: - A dossier with hostile text in every field a clerk fills

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    static func cells(_ line: Substring) -> Int {
        // Escaped pipes are inside a cell.
        line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
    }

    static func dossier(id: String = "ENF-2026-0001", kind: String = "ENF", state: String = "improving",
                        organization: String = "12345678") throws -> Dossier {
        let hostile = try String(data: JSONEncoder().encode(Self.hostile), encoding: .utf8)!
        let json = """
        {
          "id": "\(id)", "kind": "\(kind)", "organization": "\(organization)", "jurisdiction": "edu",
          "authority": "臺南市政府教育局", "state": "\(state)",
          "subject": "line one\\nline two | tail \(Self.hostile.replacingOccurrences(of: "\"", with: "\\\""))",
          "openedBy": "Tom & Jerry",
          "entries": [
            {"sequence": 1, "action": "suspend", "signedAt": "2026-03-02T10:00:00+08:00", "receivedAt": null,
             "commit": "0123456789abcdef0123456789abcdef01234567", "node": "edu1",
             "signer": {"name": "chen", "roles": ["clerk"], "key": "SHA256:abc", "subject": \(hostile)},
             "details": [{"key": "reason", "value": \(hostile), "personal": false},
                         {"key": "contact.id", "value": "A123456789", "personal": true}],
             "documents": [{"path": "steps/0001-suspend.yaml", "role": "step", "mark": "verified", "subject": null,
                            "certificate": null, "problems": []}],
             "mark": "verified", "problems": []},
            {"sequence": 2, "action": "tracking", "signedAt": "2026-03-09T10:00:00+08:00",
             "receivedAt": "2026-03-09T10:00:05+08:00", "commit": null, "node": null,
             "signer": {"name": null, "roles": [], "key": "SHA256:def", "subject": null},
             "details": [{"key": "notes", "value": "<b>bold</b> | pipe", "personal": false}],
             "documents": [{"path": "steps/0002-tracking.yaml", "role": "step", "mark": "refused", "subject": null,
                            "certificate": null,
                            "problems": [{"rule": "S-DOCUMENT", "severity": "refuse", "en": "the document was altered \(Self.hostile.replacingOccurrences(of: "\"", with: "\\\""))",
                                          "zhTW": "文件遭竄改"}]}],
             "mark": "refused", "problems": []}
          ],
          "enforcement": {
            "noticeLetter": "府教字第1150001號", "items": [\(hostile)], "tracker": "lin",
            "deadline": "2026-04-01", "deadlineEnds": null, "deadlineInForce": "2026-04-01", "deadlineInForceEnds": null,
            "extensions": [], "replies": [],
            "trackings": [{"round": 1, "at": "2026-03-09", "tracker": "lin", "result": "incomplete",
                           "notes": "first line\\nsecond | night shift \(Self.hostile.replacingOccurrences(of: "\"", with: "\\\""))"}],
            "trackingLimit": 3, "terminationDate": null, "serviceDisableFrom": null, "serviceDisabledAt": null
          },
          "due": [], "next": null, "problems": [],
          "verification": {"commits": 5, "refused": 1, "recorded": 0, "head": "fedcba9876543210fedcba9876543210fedcba98"},
          "generatedAt": "2026-03-10T09:00:00+08:00"
        }
        """
        return try JSONDecoder().decode(Dossier.self, from: Data(json.utf8))
    }
}
