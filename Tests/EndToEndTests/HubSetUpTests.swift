import Foundation
import Testing
import TestSupport

/// Setting up a hub from the README alone: the templates, a policy written from public
/// keys, and `hub init` saying every problem of a config at once.
@Suite struct HubSetUpTests {
    @Test func aHubIsSetUpFromTheTemplatesAndNewPolicy() throws {
        let w = try Workspace()
        for name in ["kim.admin", "centre", "hub"] { #expect(try w.webjcase(["keys", "new", name]).status == 0) }
        let made = try w.webjcase(["trust", "new-policy", "--admin", "lin.admin.pub", "--admin", "kim.admin.pub", "--threshold", "2",
                                   "--centre-node", "centre.pub", "--hub", "hub.pub", "--agency-node", "edu1.pub:edu",
                                   "--clerk", "chen.clerk.pub:edu", "--authority-reviewer", "wang.reviewer.pub:edu",
                                   "--mode", "test", "--out", "new-policy.yaml"])
        #expect(made.status == 0, "\(made)")
        #expect(made.stderr.contains("7 identities, threshold 2"), "\(made)")
        let policy = try String(contentsOfFile: w.directory.file("new-policy.yaml"), encoding: .utf8)
        #expect(policy.contains("{name: \"chen.clerk\", key: \"\(w.publicKey("chen.clerk").split(separator: " ").prefix(2).joined(separator: " "))\", roles: [\"clerk\"], jurisdiction: \"edu\"}"), "\(policy)")

        // The hub template, pointed at these files, is taken by hub init as it stands.
        let template = try w.webjcase(["template", "hub"])
        #expect(template.status == 0)
        try w.directory.write("hub.yaml", template.stdout.replacingOccurrences(of: "\"policy.yaml\"", with: "\"new-policy.yaml\"")
            .replacingOccurrences(of: "\"keys/centre\"", with: "\"centre\"").replacingOccurrences(of: "\"keys/hub\"", with: "\"hub\""))
        let initialized = try w.webjcase(["hub", "init", "root", "--config", "hub.yaml"])
        #expect(initialized.status == 0, "\(initialized)")
        #expect(FileManager.default.fileExists(atPath: w.directory.file("root/edu.git")) && FileManager.default.fileExists(atPath: w.directory.file("root/social.personal.git")))

        // A key file that is no public key, and the same key for two jurisdictions: refused, nothing written.
        let notAKey = try w.webjcase(["trust", "new-policy", "--admin", "lin.admin", "--out", "bad.yaml"])
        #expect(notAKey.status == 2 && notAKey.stderr.contains("lin.admin (given with --admin) is not a public key file"), "\(notAKey)")
        let twice = try w.webjcase(["trust", "new-policy", "--admin", "lin.admin.pub", "--clerk", "chen.clerk.pub:edu",
                                    "--authority-reviewer", "chen.clerk.pub:social", "--out", "bad.yaml"])
        #expect(twice.status == 2 && twice.stderr.contains("another jurisdiction"), "\(twice)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("bad.yaml")))
    }

    @Test func hubInitSaysEveryProblemOfAConfigAtOnce() throws {
        let w = try Workspace()
        try w.directory.write("keys.yaml", "kind: \"hub\"\nformat: 1\npolcy: \"policy.yaml\"\nnode: \"centre\"\n")
        let keys = try w.webjcase(["hub", "init", "root", "--config", "keys.yaml"])
        #expect(keys.status == 2, "\(keys)")
        #expect(keys.stderr.contains("keys.yaml: 6 problem(s)"), "\(keys)")
        for key in ["policy", "key", "hubKey", "jurisdictions", "tokens"] {
            #expect(keys.stderr.contains("the required key `\(key)` is missing"), "\(key): \(keys)")
        }
        #expect(keys.stderr.contains("unknown key `polcy`; did you mean `policy`?"), "\(keys)")

        try w.directory.write("values.yaml", """
        kind: "hub"
        format: 1
        policy: "nothing.yaml"
        node: "centre"
        key: "edu1"
        hubKey: "nokey"
        jurisdictions: [{id: "Edu", name: "x"}]
        tokens: [{node: "edu1", sha256: "abc"}]

        """)
        let values = try w.webjcase(["hub", "init", "root", "--config", "values.yaml"])
        #expect(values.status == 2 && values.stderr.contains("values.yaml: 4 problem(s)"), "\(values)")
        #expect(values.stderr.contains("`jurisdictions.id` is `Edu`") && values.stderr.contains("`tokens.sha256` is `abc`"), "\(values)")
        #expect(values.stderr.contains("`policy` names ./nothing.yaml, which does not exist") && values.stderr.contains("webjcase keys new nokey"), "\(values)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("root")))
        let chinese = try w.webjcase(["hub", "init", "root", "--config", "values.yaml", "--lang", "zh-TW"])
        #expect(chinese.stderr.contains("有 4 個問題"), "\(chinese)")
    }
}
