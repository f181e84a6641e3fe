import Foundation
import Testing
import TestSupport

/// `webjcase demo`: the whole story through a real hub on 127.0.0.1; afterwards every
/// jurisdiction's hub repository verifies with a separate `verify`, the hub kept its
/// hooks and receipts, the dossiers exist, and the story's refusals were the rules'.
@Suite struct DemoTests {
    @Test func theDemoPlaysTheWholeStoryAndLeavesVerifiableRecords() throws {
        let scratch = try TemporaryDirectory("demo")
        let directory = scratch.file("demo")
        let started = Date()
        let result = try runProcess(webjcaseBinary, ["demo", directory])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result)")
        print("demo took \(String(format: "%.1f", seconds)) s (debug build)")
        #expect(seconds < 120, "the demo must finish in under two minutes")
        for line in ["edu1 sees organization 12345678: suspended", "edu1 sees organization 12345678: terminated",
                     "centre sees organization 55667788: paused", "initial review: transferred  REG-2026-social1-0002",
                     "refused, as the rules require [P8-THIRD-TRACKING-TERMINATES]", "refused, as the rules require [P9-EVALUATION]",
                     "2026-07-20T18:00:00+08:00  ENF-2026-centre-0001  12345678: from now the Archives may disable the service",
                     "edu1 sees organization 12345678: in use"] {
            #expect(result.stdout.contains(line), "missing: \(line)")
        }
        #expect(!result.stdout.contains("✗ verify"))
        for jurisdiction in ["edu", "social"] {
            let repository = directory + "/hub/\(jurisdiction).git"
            let verify = try runProcess(webjcaseBinary, ["verify", "--json", "--repo", repository])
            #expect(verify.status == 0, "\(verify)")
            let object = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
            #expect(object?["refused"] as? Int == 0)
            #expect(FileManager.default.isExecutableFile(atPath: repository + "/hooks/pre-receive"))
            let receipts = try runProcess(gitBinary, ["--git-dir", repository, "rev-list", "--count", "refs/webjcase/receipts"])
            #expect((Int(receipts.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 3, "\(receipts)")
            #expect(FileManager.default.fileExists(atPath: directory + "/dossiers/\(jurisdiction)/index.html"))
        }
        // The node clones keep their configs (node, key, hub) and verify too.
        let node = try runProcess(gitBinary, ["-C", directory + "/nodes/edu1/edu", "config", "webjcase.node"])
        #expect(node.stdout == "edu1\n")
        #expect(try runProcess(webjcaseBinary, ["verify", "--repo", directory + "/nodes/centre/edu"]).status == 0)

        // The enforcement dossier holds the hub's receipt times and the whole tracking table.
        let dossier = try String(contentsOfFile: directory + "/dossiers/edu/ENF-2026-centre-0001.html", encoding: .utf8)
        #expect(dossier.components(separatedBy: "<tr class=\"tracking\">").count - 1 == 3)
        #expect(!dossier.contains("no receipt yet"), "every step of the hub's dossier has its receipt")
        #expect(dossier.contains("2026-07-20T18:30:00+08:00"))
        // Steps were pushed as they were made: no finding anywhere (a late receipt would be one).
        for jurisdiction in ["edu", "social"] {
            let directoryPath = directory + "/dossiers/\(jurisdiction)"
            for name in try FileManager.default.contentsOfDirectory(atPath: directoryPath) {
                let page = try String(contentsOfFile: directoryPath + "/" + name, encoding: .utf8)
                #expect(!page.contains("data-mark=\"recorded\"") && !page.contains("data-mark=\"refused\""), "\(name)")
            }
        }

        // The applicant's own signature: the admins' threshold change of trust, the form signed
        // on the card (or, without softhsm2, a key file) and carried under documents/, which
        // openssl, a tool this project did not write, verifies against the test root.
        #expect(result.stdout.contains("kim.admin signs the proposal of trust/roots/webjcase-test-root.pem, trust/ca/test-xca.pem for edu: 2 of the 2 admins"))
        #expect(result.stdout.contains("committed to edu with the admins' signatures"))
        let card = FileManager.default.isExecutableFile(atPath: "/usr/bin/softhsm2-util") && FileManager.default.isExecutableFile(atPath: "/usr/bin/pkcs11-tool")
        #expect(result.stdout.contains(card ? "signs data/annex-1-12345678.yaml on its card, a SoftHSM2 token" : "signs with its key file instead of a card"),
                "\(result.stdout)")
        let edu = directory + "/hub/edu.git"
        let form = "cases/2026/edu1/REG-2026-edu1-0001/documents/annex-1-12345678.yaml"
        let files = try runProcess(gitBinary, ["--git-dir", edu, "ls-tree", "-r", "--name-only", "main"]).stdout
        #expect(files.contains(form + "\n") && files.contains(form + ".p7s\n") && files.contains("trust/roots/webjcase-test-root.pem.sig\n"), "\(files)")
        for file in [form, form + ".p7s"] {
            let copied = try runProcess("/bin/sh", ["-c", "\"$0\" --git-dir \"$1\" cat-file blob \"main:$2\" > \"$3\"", gitBinary, edu, file,
                                                    scratch.file((file as NSString).lastPathComponent)])
            #expect(copied.status == 0, "\(copied)")
        }
        let openssl = try runProcess("/usr/bin/openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", "annex-1-12345678.yaml.p7s",
                                                          "-content", "annex-1-12345678.yaml", "-CAfile", directory + "/pki/trust/roots/webjcase-test-root.pem",
                                                          "-purpose", "any", "-out", "/dev/null"], in: scratch.path)
        #expect(openssl.status == 0, "\(openssl)")
        let registration = try String(contentsOfFile: directory + "/dossiers/edu/REG-2026-edu1-0001.html", encoding: .utf8)
        #expect(registration.contains("Test organization 12345678"), "the dossier names the certificate that signed the form")

        // A second run refuses a directory that is not empty, and changes nothing there.
        let again = try runProcess(webjcaseBinary, ["demo", directory])
        #expect(again.status == 2, "\(again)")
        #expect(again.stderr.contains("not empty"), "\(again)")
    }
}
