import Foundation
import Testing
import TestSupport

/// `hub token`: a token only for a node of the policy, kept where only its owner reads it.
@Suite struct HubTokenTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aNameThePolicyDoesNotHoldAsANodeGetsNoToken() throws {
        let w = try Workspace()
        for name in ["nosuchnode", "chen.clerk", "outsider"] {
            let made = try w.webjcase(["hub", "token", name, "--policy", "policy.yaml", "--out", "\(name).token"])
            #expect(made.status == 2, "\(made)")
            #expect(made.stderr.contains("`\(name)` is not a node of policy.yaml") && made.stderr.contains("Nodes there: edu1."), "\(made)")
            #expect(made.stdout.isEmpty && !FileManager.default.fileExists(atPath: w.directory.file("\(name).token")))
        }
    }

    @Test func theTokenIsReadableByItsOwnerOnly() throws {
        let w = try Workspace()
        let written = try w.webjcase(["hub", "token", "edu1", "--policy", "policy.yaml", "--out", "edu1.token"])
        #expect(written.status == 0, "\(written)")
        #expect(try mode(w.directory.file("edu1.token")) == 0o600)
        let token = try String(contentsOfFile: w.directory.file("edu1.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count >= 32 && written.stdout.isEmpty)
        #expect(written.stderr.contains("- {node: \"edu1\", sha256: \""), "\(written)")
        // Never overwritten.
        let again = try w.webjcase(["hub", "token", "edu1", "--policy", "policy.yaml", "--out", "edu1.token"])
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again)")
        #expect(try String(contentsOfFile: w.directory.file("edu1.token"), encoding: .utf8).contains(token))

        // `> file`, as people write it: the shell makes the file 0644; the command makes it 0600.
        let shell = try runProcess("/bin/sh", ["-c", "umask 022; \"$0\" hub token edu1 --policy policy.yaml > redirected.token", webjcaseBinary],
                                   in: w.path)
        #expect(shell.status == 0, "\(shell)")
        #expect(try mode(w.directory.file("redirected.token")) == 0o600)
        #expect(shell.stderr.contains("readable by its owner only (0600)"), "\(shell)")
    }
}
