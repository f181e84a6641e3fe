import Foundation
import Testing
import TestSupport

/// Every bad input: its own clear message in both languages, the documented exit code,
/// and the repository's refs unchanged.
@Suite struct BadInputTests {
    /// A repository with one open case; returns the workspace.
    private func opened() throws -> Workspace {
        let w = try Workspace()
        try w.initRepository()
        let open = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
        guard open.status == 0 else { throw WorkspaceError(open) }
        return w
    }

    /// An object whose bytes are not the ones its id names (a disk or a copy gone wrong, or
    /// a document swapped in under the old id) stops `verify`: every object it reads is
    /// checked against its id, here a step document altered by one byte, same length.
    @Test func anObjectWhoseBytesDoNotMatchItsIdStopsVerify() throws {
        let w = try opened()
        let path = "cases/2026/edu1/REG-2026-edu1-0001/steps/0001-open.yaml"
        let id = try w.git(["--git-dir", w.gitDirectory("edu.git"), "rev-parse", "main:" + path]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let object = w.gitDirectory("edu.git") + "/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
        #expect(FileManager.default.fileExists(atPath: object), "the step is a loose object")
        // The altered document as a loose object of its own (in a scratch repository), then
        // put where the original lies.
        var bytes = Data(try w.git(["--git-dir", w.gitDirectory("edu.git"), "cat-file", "blob", id]).stdout.utf8)
        let digit = try #require(bytes.firstIndex(of: UInt8(ascii: "1")))
        bytes[digit] = UInt8(ascii: "2")
        let altered = try w.directory.write("altered.yaml", String(decoding: bytes, as: UTF8.self))
        #expect(try w.git(["init", "-q", "--bare", w.directory.file("scratch.git")]).status == 0)
        let other = try w.git(["--git-dir", w.directory.file("scratch.git"), "hash-object", "-w", altered]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(other != id)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object)
        try FileManager.default.removeItem(atPath: object)
        try FileManager.default.copyItem(atPath: w.directory.file("scratch.git/objects/" + other.prefix(2) + "/" + other.dropFirst(2)),
                                         toPath: object)
        let before = try w.refs()
        for (lang, expected) in [("en", "does not hold the bytes its id names"), ("zh-TW", "內容與其識別碼不符")] {
            let result = try w.webjcase(["verify", "--repo", "edu.git", "--lang", lang])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains(expected) && result.stderr.contains(id), "\(result.stderr)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
        #expect(try w.refs() == before)
    }

    /// Runs `step … submit --data FILE` in both languages; checks exit code, messages and refs.
    private func refuseData(_ text: String, status: Int32 = 2, english: String, chinese: String) throws {
        let w = try opened()
        let file = try w.directory.write("bad.yaml", text)
        let before = try w.refs()
        for (lang, expected) in [("en", english), ("zh-TW", chinese)] {
            let result = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", file, "--key", "chen.clerk",
                                         "--repo", "edu.git", "--lang", lang])
            #expect(result.status == status, "\(result)")
            #expect(result.stderr.contains(expected), "\(lang): \(result.stderr)")
            #expect(result.stderr.contains(file), "the message names the file")
            #expect(result.stdout.isEmpty)
        }
        #expect(try w.refs() == before, "refs unchanged")
    }

    @Test func aliasBomb() throws {
        let bomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        letter: [*e,*e,*e,*e,*e,*e,*e,*e,*e]

        """
        try refuseData(bomb, english: ":1: YAML anchors (&a) are not allowed", chinese: ":1：案件文件不得使用 YAML 錨點（&a）")
    }

    @Test func duplicateKey() throws {
        try refuseData("letter: {number: \"1\", date: 2026-02-27}\nnote: a\nnote: b\n",
                       english: ":3: the key `note` appears twice", chinese: ":3：同一對應中鍵「note」出現兩次")
    }

    @Test func oversizedFile() throws {
        let big = "letter: {number: \"1\", date: 2026-02-27}\nnote: \"" + String(repeating: "x", count: 300 * 1024) + "\"\n"
        try refuseData(big, english: "documents may be at most 262144 bytes", chinese: "文件上限為 262144 位元組")
    }

    @Test func unknownKeyAndImpossibleDate() throws {
        try refuseData("letter: {number: \"1\", date: 2026-02-27}\nsigned: yes\n",
                       english: ":2: unknown key `signed`", chinese: ":2：未知的鍵「signed」")
        try refuseData("letter: {number: \"1\", date: 2026-02-30}\n",
                       english: "`letter.date` is `2026-02-30`, which is not a real date", chinese: "「letter.date」的值「2026-02-30」不是有效日期")
    }

    @Test func stepForACaseThatDoesNotExist() throws {
        let w = try opened()
        let before = try w.refs()
        for (lang, expected) in [("en", "There is no case REG-2026-edu1-0009"), ("zh-TW", "此儲存庫中沒有案件 REG-2026-edu1-0009")] {
            let result = try w.webjcase(["step", "REG-2026-edu1-0009", "submit", "--data", "submit.yaml", "--key", "chen.clerk",
                                         "--repo", "edu.git", "--lang", lang])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains(expected), "\(result)")
        }
        #expect(try w.refs() == before)
    }

    @Test func unknownAction() throws {
        let w = try opened()
        let before = try w.refs()
        for (lang, expected) in [("en", "`approve` is not an action. Actions: submit"), ("zh-TW", "「approve」不是有效的動作")] {
            let result = try w.webjcase(["step", "REG-2026-edu1-0001", "approve", "--data", "submit.yaml", "--key", "chen.clerk",
                                         "--repo", "edu.git", "--lang", lang])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains(expected), "\(result)")
        }
        #expect(try w.refs() == before)
    }

    @Test func languageComesFromLANG() throws {
        let w = try opened()
        let result = try w.webjcase(["step", "REG-2026-edu1-0009", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"],
                                    environment: ["LANG": "zh_TW.UTF-8"])
        #expect(result.stderr.contains("此儲存庫中沒有案件"), "\(result)")
    }

    @Test func ruleBreakingStepsAreRefusedWithExitOne() throws {
        let w = try opened()
        let before = try w.refs()
        // A key the policy does not know.
        let outsider = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "outsider", "--repo", "edu.git"])
        #expect(outsider.status == 1, "\(outsider)")
        #expect(outsider.stderr.contains("[S-SIGNATURE]"))
        // A node key signing a step.
        let node = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "edu1", "--repo", "edu.git"])
        #expect(node.status == 1, "\(node)")
        #expect(node.stderr.contains("[S-SIGNER]"))
        // A claimed time before the previous step's.
        let earlier = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"],
                                     environment: ["WEBJCASE_NOW": "2026-03-01T10:00:00+08:00"])
        #expect(earlier.status == 1, "\(earlier)")
        #expect(earlier.stderr.contains("[S-TIME-ORDER]"))
        #expect(try w.refs() == before)
        // The initial review comes after the application is submitted.
        try w.directory.write("reject.yaml", "reason: ineligible\nnote: \"Not registered in Tainan City.\"\nbasis: \"The Civil Affairs Bureau's register, checked 2026-03-03.\"\n")
        let early = try w.webjcase(["step", "REG-2026-edu1-0001", "initial.reject", "--data", "reject.yaml", "--key", "wang.reviewer", "--repo", "edu.git"])
        #expect(early.status == 1, "\(early)")
        #expect(early.stderr.contains("[P4-ORDER]"), "\(early)")
        // A clerk cannot review.
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"]).status == 0)
        let clerk = try w.webjcase(["step", "REG-2026-edu1-0001", "initial.reject", "--data", "reject.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
        #expect(clerk.status == 1, "\(clerk)")
        #expect(clerk.stderr.contains("[P4-ROLE]"), "\(clerk)")
        // After a final step nothing may follow.
        #expect(try w.webjcase(["step", "REG-2026-edu1-0001", "initial.reject", "--data", "reject.yaml", "--key", "wang.reviewer", "--repo", "edu.git"]).status == 0)
        let after = try w.refs()
        let late = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
        #expect(late.status == 1)
        #expect(late.stderr.contains("[S-FINAL]"), "\(late)")
        #expect(try w.refs() == after)
    }

    @Test func productionModeRefusesTheSettableClock() throws {
        let w = try Workspace()
        let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "mode: \"test\"", with: "mode: \"production\"")
        try w.directory.write("policy.yaml", policy)
        let result = try w.webjcase(["init", "edu.git", "--bare", "--jurisdiction", "edu", "--name", "x", "--node", "edu1",
                                     "--policy", "policy.yaml", "--key", "edu1"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("production mode"))
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("edu.git")), "nothing half-written")
    }

    @Test func initRefusesAKeyThatIsNotTheNodes() throws {
        let w = try Workspace()
        let result = try w.webjcase(["init", "edu.git", "--bare", "--jurisdiction", "edu", "--name", "x", "--node", "edu1",
                                     "--policy", "policy.yaml", "--key", "chen.clerk"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("is not the key the policy gives node `edu1`"))
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("edu.git")))
    }
}
