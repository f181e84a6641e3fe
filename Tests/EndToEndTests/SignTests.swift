import Foundation
import Testing
import TestSupport

@Suite struct SignTests {
    @Test func signAndVerifyADocument() throws {
        let w = try Workspace()
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\norganization: \"12345678\"\n")
        let signed = try w.webjcase(["sign", "annex-1.yaml", "--key", "chen.clerk"])
        #expect(signed.status == 0, "\(signed)")
        let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml.sig")))) as? [String: Any]
        let entries = envelope?["signatures"] as? [[String: Any]]
        let fingerprint = try runProcess("/usr/bin/ssh-keygen", ["-l", "-f", w.directory.file("chen.clerk.pub")]).stdout
        #expect(fingerprint.contains(entries?.first?["keyid"] as? String ?? "none"), "key id is the SSH SHA256 fingerprint")

        let good = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--key", "chen.clerk.pub"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains("good signature"))
    }

    @Test func aChangedByteFails() throws {
        let w = try Workspace()
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\norganization: \"12345678\"\n")
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "chen.clerk"]).status == 0)
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\norganization: \"12345679\"\n")
        for (lang, expected) in [("en", "the document changed after signing"), ("zh-TW", "文件在簽署後遭修改")] {
            let result = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--key", "chen.clerk.pub", "--lang", lang])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains(expected), "\(result)")
        }
    }

    @Test func aSignatureMovedToAnotherFileFails() throws {
        let w = try Workspace()
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\n")
        try w.directory.write("annex-2.yaml", "kind: \"annex-2\"\n")
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "chen.clerk"]).status == 0)
        try FileManager.default.copyItem(atPath: w.directory.file("annex-1.yaml.sig"), toPath: w.directory.file("annex-2.yaml.sig"))
        let result = try w.webjcase(["sign", "--verify", "annex-2.yaml", "--key", "chen.clerk.pub"])
        #expect(result.status == 1, "\(result)")
    }

    @Test func aSignatureByAnotherKeyFails() throws {
        let w = try Workspace()
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\n")
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "outsider"]).status == 0)
        let result = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--key", "chen.clerk.pub"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("not a key you asked to trust"), "\(result)")
    }

    @Test func verifyWithoutAKeyUsesTheRepositoryPolicy() throws {
        let w = try Workspace()
        try w.initRepository()
        try w.directory.write("annex-1.yaml", "kind: \"annex-1\"\n")
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "chen.clerk"]).status == 0)
        #expect(try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu.git"]).status == 0)
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "outsider"]).status == 0, "co-signing adds a signature")
        #expect(try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu.git"]).status == 0, "one trusted signature is enough")
    }
}
