import Foundation
import Testing
import TestSupport

/// The threat catalogue (SECURITY.md), attack by attack, against a real hub: a repository
/// made by `webjcase init --bare`, served by stock `git daemon` on 127.0.0.1, its
/// pre-receive hook the real binary. Each attack is made the way an attacker with a node's
/// clone would make it (stock git, the node's own key where the attack needs a well-signed
/// commit) and pushed with stock git; each must be refused with its rule id, and the hub's
/// refs must not move.
@Suite(.enabled(if: daemonAvailable, "git daemon is not installed (git-daemon is not in `git --exec-path`)"))
struct AttackTests {
    static let caseDirectory = "cases/2026/edu1/REG-2026-edu1-0001"

    // MARK: history

    @Test func aWronglySignedStepHiddenInTheMiddleOfAPushIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            // 1: a good step. 2: a step whose envelope is a valid signature by the right clerk,
            // but made by `webjcase sign` (another payload type, so not a step's signature).
            // 3: a good new case on top.
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let step = "work/\(Self.caseDirectory)/steps/0002-submit.yaml"
            let good = hub.w.directory.file(step)
            let document = try Data(contentsOf: URL(fileURLWithPath: good))
            #expect(try hub.git(["-C", "work", "reset", "-q", "--hard", "HEAD~1"]).status == 0)
            try FileManager.default.createDirectory(atPath: hub.w.directory.file("work/\(Self.caseDirectory)/steps"), withIntermediateDirectories: true)
            try document.write(to: URL(fileURLWithPath: good))
            try hub.webjcase(["sign", step, "--key", "chen.clerk"])
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0001 submit", action: "submit")
            let middle = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
            try hub.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "rev-list", "--count", "origin/main..main"]).stdout.trimmed == "2")

            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            #expect(push.stderr.contains("remote: [S-SIGNATURE]"), "\(push)")
            #expect(push.stderr.contains("\(Self.caseDirectory)/steps/0002-submit.yaml"), "the refusal names the file: \(push)")
            #expect(try hub.git(["-C", "work", "rev-list", "origin/main..main"]).stdout.contains(middle))
            #expect(try hub.refs() == before)
        }
    }

    @Test func aCommitSignedByAKeyThatIsNotTheNodesIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            // The same step, its commit re-signed by the outsider with the node's name on it.
            let amend = try hub.git(hub.signing(with: "outsider") + ["-C", "work", "commit", "-q", "--amend", "--no-edit", "--no-verify"]
                                    + (hub.canSign ? ["-S"] : []), environment: hub.nodeIdentity)
            #expect(amend.status == 0, "\(amend)")
            try hub.expectRefused("S-COMMIT-SIGNATURE", before: before)
        }
    }

    @Test func aNewBranchWithInvalidHistoryIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.w.directory.write("work/notes.txt", "not a case file\n")
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            #expect(try hub.git(["-C", "work", "commit", "-q", "--no-verify", "-m", "notes"]).status == 0)
            try hub.expectRefused("S-REF", pushing: ["main:refs/heads/review"], before: before)
        }
    }

    @Test func aMergeCommitIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            // Two good commits on two lines of history, joined by a merge signed by the node.
            let base = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let one = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
            #expect(try hub.git(["-C", "work", "reset", "-q", "--hard", base]).status == 0)
            try hub.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let two = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
            let message = try hub.git(["-C", "work", "log", "-1", "--format=%B", two]).stdout
            let merge = try hub.git(hub.nodeSigning + ["-C", "work", "commit-tree"] + (hub.canSign ? ["-S"] : [])
                                    + ["-p", one, "-p", two, "-m", message, "\(two)^{tree}"], environment: hub.nodeIdentity)
            #expect(merge.status == 0, "\(merge)")
            #expect(try hub.git(["-C", "work", "update-ref", "refs/heads/main", merge.stdout.trimmed]).status == 0)
            try hub.expectRefused("S-MERGE", before: before)
        }
    }

    // MARK: signed documents moved, relabelled, replayed or changed

    @Test func aSignedStepCopiedIntoAnotherCaseIsRefused() throws {
        try withOpenedCase { hub in
            try hub.webjcase(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let before = try hub.refs()
            // chen.clerk's real submission of case 1, put into case 2 as its own.
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let files = try hub.takeLastStep()
            let other = "cases/2026/edu1/REG-2026-edu1-0002/steps"
            for (name, data) in files {
                try data.write(to: URL(fileURLWithPath: hub.w.directory.file("work/\(other)/\(name)")))
            }
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0002 submit", action: "submit", case: "REG-2026-edu1-0002")
            try hub.expectRefused("S-LOCATION", before: before)
        }
    }

    @Test func aSignedStepRelabelledAsAnotherActionIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            // The clerk's submission, renamed into a withdrawal.
            let files = try hub.takeLastStep()
            for (name, data) in files {
                let renamed = name.replacingOccurrences(of: "submit", with: "withdraw")
                try data.write(to: URL(fileURLWithPath: hub.w.directory.file("work/\(Self.caseDirectory)/steps/\(renamed)")))
            }
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0001 withdraw", action: "withdraw")
            try hub.expectRefused("S-LOCATION", before: before)
        }
    }

    @Test func anOldStepReplayedOntoALaterStateIsRefused() throws {
        try withOpenedCase { hub in
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            try hub.webjcase(["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml", "--key", "wang.reviewer", "--repo", "work"])
            try hub.webjcase(["step", "REG-2026-edu1-0001", "correct", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let before = try hub.refs()
            // The reviewer's request for correction (step 3), signed and valid when made,
            // replayed after the correction as step 5.
            let steps = hub.w.directory.file("work/\(Self.caseDirectory)/steps")
            for suffix in ["", ".sig"] {
                try FileManager.default.copyItem(atPath: "\(steps)/0003-initial.correction.yaml\(suffix)",
                                                 toPath: "\(steps)/0005-initial.correction.yaml\(suffix)")
            }
            #expect(try hub.git(["-C", "work", "add", "."]).status == 0)
            try hub.commitAsTheNode("REG-2026-edu1-0001 initial.correction", action: "initial.correction", actor: "wang.reviewer")
            let push = try hub.expectRefused("S-LOCATION", before: before)
            #expect(push.stderr.contains("remote: [S-PREVIOUS]"), "the replayed step names another predecessor: \(push)")
        }
    }

    /// `case.yaml` carries no signature of its own: the open step names its digest.
    @Test func aCaseFileChangedAfterItsOpeningIsRefused() throws {
        try withHub { hub in
            let before = try hub.refs()
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            // The case moved to another organization after the clerk signed its opening.
            let path = hub.w.directory.file("work/\(Self.caseDirectory)/case.yaml")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("12345678"))
            try text.replacingOccurrences(of: "12345678", with: "87654321").write(toFile: path, atomically: true, encoding: .utf8)
            try hub.amendAsTheNode()
            try hub.expectRefused("S-PREVIOUS", before: before)
        }
    }

    /// A whole case, its file and its signed opening, moved to another case's place.
    @Test func aCaseMovedToAnotherPlaceIsRefused() throws {
        try withHub { hub in
            let before = try hub.refs()
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "mv", Self.caseDirectory, "cases/2026/edu1/REG-2026-edu1-0002"]).status == 0)
            try hub.amendAsTheNode()
            let push = try hub.expectRefused("S-CASE-FILE", before: before)
            #expect(push.stderr.contains("remote: [S-LOCATION]"), "\(push)")
        }
    }

    @Test func oneChangedByteOfASignedStepIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let path = hub.w.directory.file("work/\(Self.caseDirectory)/steps/0002-submit.yaml")
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let digit = try #require(bytes.lastIndex(of: UInt8(ascii: "3")))
            bytes[digit] = UInt8(ascii: "4")  // 1150000123 → 1150000124 in the letter's number
            try bytes.write(to: URL(fileURLWithPath: path))
            try hub.amendAsTheNode()
            try hub.expectRefused("S-SIGNATURE", before: before)
        }
    }

    // MARK: policy changes pushed to the hub

    /// A new policy signed only by a key it makes admin: the parent policy's admins decide.
    @Test func aPolicySignedOnlyByTheKeysItAddsIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.proposePolicy(version: 2, admins: ["outsider"], threshold: 1)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "outsider", "--repo", "work"])
            try hub.commitPolicyAsTheNode()
            try hub.expectRefused("A-THRESHOLD", before: before)
        }
    }

    /// An earlier version of the policy put back, even signed by today's admins.
    @Test func aPolicyRolledBackIsRefused() throws {
        try withOpenedCase { hub in
            try hub.proposePolicy(version: 2, admins: ["lin.admin"], threshold: 1)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "work"])
            try hub.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let before = try hub.refs()
            try hub.proposePolicy(version: 1, admins: ["lin.admin"], threshold: 1)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "work"])
            try hub.commitPolicyAsTheNode()
            try hub.expectRefused("A-POLICY-VERSION", before: before)
        }
    }

    /// One admin's signature entered twice in the envelope does not make two.
    @Test func oneAdminCountedTwiceIsRefused() throws {
        try withOpenedCase { hub in
            // Policy 2 needs two admins.
            try hub.webjcase(["keys", "new", "kim.admin"])
            try hub.proposePolicy(version: 2, admins: ["lin.admin", "kim.admin"], threshold: 2)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "work"])
            try hub.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let before = try hub.refs()
            try hub.proposePolicy(version: 3, admins: ["lin.admin", "kim.admin"], threshold: 2)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "work"])
            // lin.admin's entry, twice.
            let path = hub.w.directory.file("work/trust/policy.yaml.sig")
            var envelope = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let entries = try #require(envelope["signatures"] as? [Any])
            envelope["signatures"] = entries + entries
            try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: path))
            try hub.commitPolicyAsTheNode()
            try hub.expectRefused("A-THRESHOLD", before: before)
        }
    }

    // MARK: revoked keys

    /// chen.clerk's key is revoked at 09:59 by policy 2; the node's owner sets its clock
    /// back to 09:58 and the clerk's key signs a step: the node's own check lets it through
    /// (by its clock the key was still good), the hub judges the signature by its own clock,
    /// which is past the revocation, and no receipt from before vouches for it.
    @Test func aRevokedKeySigningWithADateBeforeItsRevocationIsRefused() throws {
        try withHub { hub in
            // The hub's clock is 10:00; each commit is pushed within the clock tolerance of it.
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"],
                             at: "2026-03-02T09:57:00+08:00")
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            try hub.proposePolicy(version: 2, admins: ["lin.admin"], threshold: 1)
            let path = hub.w.directory.file("work/trust/policy.yaml")
            let policy = try String(contentsOfFile: path, encoding: .utf8)
            let clerk = "roles: [\"clerk\"], jurisdiction: \"edu\"}"
            #expect(policy.contains(clerk))
            try policy.replacingOccurrences(of: clerk, with: "roles: [\"clerk\"], jurisdiction: \"edu\", revoked: {at: \"2026-03-02T09:59:00+08:00\", reason: \"card lost\"}}")
                .write(toFile: path, atomically: true, encoding: .utf8)
            try hub.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "work"])
            try hub.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let before = try hub.refs()

            let step = try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"],
                                        at: "2026-03-02T09:58:00+08:00", check: false)
            #expect(step.status == 0, "by the node's clock the key was not revoked yet: \(step)")
            let push = try hub.expectRefused("S-SIGNER", before: before)
            #expect(push.stderr.contains("whose key was revoked at 2026-03-02T09:59:00+08:00 (card lost)"), "\(push)")
            // Honest again, the node's own check says the same.
            #expect(try hub.git(["-C", "work", "reset", "-q", "--hard", "origin/main"]).status == 0)
            let now = try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"],
                                       check: false)
            #expect(now.status == 1 && now.stderr.contains("[S-SIGNER]"), "\(now)")
        }
    }

    // MARK: tree entries

    @Test(arguments: [
        TreeAttack.executableStep, .submoduleLink, .pathOutsideTheLayout, .namesCollidingByCase, .namesCollidingByNormalization,
    ])
    func aTreeEntryTheLayoutForbidsIsRefused(_ attack: TreeAttack) throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let steps = "\(Self.caseDirectory)/steps"
            switch attack {
            case .executableStep:
                #expect(try hub.git(["-C", "work", "update-index", "--chmod=+x", "\(steps)/0002-submit.yaml"]).status == 0)
            case .submoduleLink:
                let head = try hub.git(["-C", "work", "rev-parse", "HEAD"]).stdout.trimmed
                #expect(try hub.git(["-C", "work", "update-index", "--add", "--cacheinfo", "160000,\(head),\(Self.caseDirectory)/attachments/sub"]).status == 0)
            case .pathOutsideTheLayout:
                try hub.w.directory.write("work/notes.txt", "not a case file\n")
                #expect(try hub.git(["-C", "work", "add", "notes.txt"]).status == 0)
            case .namesCollidingByCase:
                let blob = try hub.git(["-C", "work", "rev-parse", "HEAD:\(steps)/0002-submit.yaml"]).stdout.trimmed
                #expect(try hub.git(["-C", "work", "update-index", "--add", "--cacheinfo", "100644,\(blob),\(steps)/0002-Submit.yaml"]).status == 0)
            case .namesCollidingByNormalization:
                // One PDF under two names that differ only in how é is written: NFC and NFD.
                let file = try hub.w.directory.write("cafe.pdf", "%PDF-1.4\n%%EOF\n")
                let pdf = try hub.git(["-C", "work", "hash-object", "-w", file]).stdout.trimmed
                for name in ["caf\u{E9}.pdf", "cafe\u{301}.pdf"] {
                    let added = try hub.git(["-C", "work", "update-index", "--add", "--cacheinfo", "100644,\(pdf),\(Self.caseDirectory)/attachments/\(name)"])
                    #expect(added.status == 0, "\(added)")
                }
            }
            let commit = try hub.git(hub.nodeSigning + ["-C", "work", "commit", "-q", "--amend", "--no-edit", "--no-verify"]
                                     + (hub.canSign ? ["-S"] : []), environment: hub.nodeIdentity)
            #expect(commit.status == 0, "\(commit)")
            let push = try hub.expectRefused(attack.rule, before: before)
            for rule in attack.alsoRefusedBy {
                #expect(push.stderr.contains("remote: [\(rule)]"), "\(push)")
            }
        }
    }

    /// `.git` in any spelling git itself treats as its own directory: the hub's git refuses
    /// the objects before any hook runs (`receive.fsckObjects`, set by `init --bare`), and
    /// the validator refuses them too where that check is off. Stock git will not stage such
    /// a path, so the tree is made with `git mktree`.
    @Test(arguments: [".git", ".GIT", ".Git"])
    func aDotGitEntryIsRefused(_ name: String) throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            let blob = try hub.git(["-C", "work", "rev-parse", "HEAD:webjcase.yaml"]).stdout.trimmed
            let inner = try hub.makeTree("100644 blob \(blob)\tconfig\n")
            let root = try hub.git(["-C", "work", "ls-tree", "HEAD"]).stdout + "040000 tree \(inner)\t\(name)\n"
            let tree = try hub.makeTree(root)
            let message = try hub.git(["-C", "work", "log", "-1", "--format=%B"]).stdout
            let commit = try hub.git(hub.nodeSigning + ["-C", "work", "commit-tree"] + (hub.canSign ? ["-S"] : [])
                                     + ["-p", "HEAD", "-m", message, tree], environment: hub.nodeIdentity)
            #expect(commit.status == 0, "\(commit)")
            #expect(try hub.git(["-C", "work", "update-ref", "refs/heads/main", commit.stdout.trimmed]).status == 0)

            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            #expect(try hub.refs() == before)

            #expect(try hub.git(["--git-dir", "hub.git", "config", "receive.fsckObjects", "false"]).status == 0)
            try hub.expectRefused("S-PATH", before: before)
        }
    }

    // MARK: attachments and size

    @Test func anAttachmentOfAForbiddenTypeIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            // A Windows program under the PDF's name.
            try hub.replaceAttachmentOfASubmission(with: Data("MZ\u{90}\0\u{3}\0\0\0 This program cannot be run in DOS mode.".utf8))
            try hub.expectRefused("S-ATTACHMENT", before: before)
        }
    }

    @Test func anAttachmentOverTheSizeLimitIsRefused() throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            // 21 MiB (the limit is 20 MiB a file), still a PDF.
            var big = Data("%PDF-1.4\n".utf8)
            big.append(Data(count: 21 << 20))
            try hub.replaceAttachmentOfASubmission(with: big)
            try hub.expectRefused("S-ATTACHMENT", before: before)
        }
    }

    /// A pack bigger than the hub accepts (`receive.maxInputSize`, which `hub init` sets from
    /// the size limits) is refused by git before any hook, and leaves nothing.
    @Test func aPackOverTheHubsLimitIsRefused() throws {
        try withOpenedCase { hub in
            #expect(try hub.git(["--git-dir", "hub.git", "config", "receive.maxInputSize", "200000"]).status == 0)
            let before = try hub.refs()
            let objects = try hub.objectCount()
            var noise = Data(count: 1 << 20)
            for index in noise.indices { noise[index] = UInt8.random(in: 0...255) }
            let pdf = hub.w.directory.file("big.pdf")
            var data = Data("%PDF-1.4\n".utf8)
            data.append(noise)
            try data.write(to: URL(fileURLWithPath: pdf))
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--attach", pdf, "--repo", "work"])
            let push = try hub.git(["-C", "work", "push", "origin", "main"])
            #expect(push.status != 0, "\(push)")
            // git's own words when it can send them; over git:// the daemon just drops the connection.
            #expect(push.stderr.contains("pack exceeds maximum allowed size") || push.stderr.contains("Connection reset"), "\(push)")
            #expect(try hub.refs() == before)
            #expect(try hub.objectCount() == objects, "the refused pack left objects behind")
        }
    }

    // MARK: YAML in a pushed step

    /// Each attack spoils one thing in the clerk's real, signed submission (the node
    /// re-signs the commit): the hub refuses it for that one thing, said in its own words,
    /// before the document is believed (its signature is never reached).
    @Test(arguments: [
        YAMLAttack(name: "duplicate keys, plain and quoted", expect: "the key `data` appears twice") { $0 + Data("\"data\": {}\n".utf8) },
        YAMLAttack(name: "duplicate keys, NFC and NFD", expect: "appears twice") { $0 + Data("caf\u{E9}: a\ncafe\u{301}: b\n".utf8) },
        YAMLAttack(name: "deep nesting", expect: "nests deeper than") {
            $0 + Data(("deep: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n").utf8)
        },
        YAMLAttack(name: "an impossible date", expect: "is `2026-02-30`, which is not a real date") { $0.replacing(Data("'2026-02-27'".utf8), with: Data("2026-02-30".utf8)) },
        YAMLAttack(name: "yes where a number belongs", expect: "`sequence` must be") { $0.replacing(Data("sequence: 2\n".utf8), with: Data("sequence: yes\n".utf8)) },
        YAMLAttack(name: "invalid UTF-8", expect: "not valid UTF-8") { $0.replacing(Data("南市".utf8), with: Data([0xC3, 0x28])) },
        YAMLAttack(name: "a huge file", expect: "documents may be at most") { $0 + Data(("# " + String(repeating: "x", count: 300 * 1024) + "\n").utf8) },
    ])
    func aMalformedStepDocumentIsRefused(_ attack: YAMLAttack) throws {
        try withOpenedCase { hub in
            let before = try hub.refs()
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "work"])
            let path = hub.w.directory.file("work/\(Self.caseDirectory)/steps/0002-submit.yaml")
            let good = try Data(contentsOf: URL(fileURLWithPath: path))
            let spoiled = attack.spoil(good)
            #expect(spoiled != good, "\(attack.name): the attack changed nothing")
            try spoiled.write(to: URL(fileURLWithPath: path))
            try hub.amendAsTheNode()
            let start = Date()
            let push = try hub.expectRefused("S-DOCUMENT", before: before)
            #expect(push.stderr.contains(attack.expect), "\(attack.name): \(push)")
            #expect(!push.stderr.contains("[S-SIGNATURE]"), "\(attack.name): refused as a document, before its signature: \(push)")
            #expect(Date().timeIntervalSince(start) < 10, "\(attack.name): the verdict took too long")
        }
    }

    /// YAML 1.1 would read `no` as false and `1.10` as 1.1; in a case document they are the
    /// text they say, from the clerk's data file to the hub and back.
    @Test func plainNoAndANumberLikeTextStayText() throws {
        try withOpenedCase { hub in
            try hub.w.directory.write("submit-text.yaml", "letter: {number: 1.10, date: 2026-02-27}\nnote: no\n")
            try hub.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-text.yaml", "--key", "chen.clerk", "--repo", "work"])
            #expect(try hub.git(["-C", "work", "push", "-q", "origin", "main"]).status == 0)
            let stored = try hub.git(["--git-dir", "hub.git", "show", "main:\(Self.caseDirectory)/steps/0002-submit.yaml"]).stdout
            #expect(stored.contains("number: '1.10'") && stored.contains("note: 'no'"), "\(stored)")
        }
    }

    // MARK: set-up

    /// A hub with case REG-2026-edu1-0001 opened by chen.clerk and pushed.
    private func withOpenedCase(_ body: (Hub) throws -> Void) throws {
        try withHub { hub in
            try hub.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"])
            let pushed = try hub.git(["-C", "work", "push", "-q", "origin", "main"])
            guard pushed.status == 0 else { throw SetupError("the first push: \(pushed)") }
            try body(hub)
        }
    }
}

enum TreeAttack: String, CustomTestStringConvertible, Sendable {
    case executableStep, submoduleLink, pathOutsideTheLayout, namesCollidingByCase, namesCollidingByNormalization
    var rule: String {
        switch self {
        case .executableStep, .submoduleLink: "S-MODE"
        case .pathOutsideTheLayout: "S-PATH"
        case .namesCollidingByCase, .namesCollidingByNormalization: "S-NAME"
        }
    }
    /// Names in the layout are ASCII: one that is not is outside it as well.
    var alsoRefusedBy: [String] { self == .namesCollidingByNormalization ? ["S-PATH"] : [] }
    var testDescription: String { rawValue }
}

struct YAMLAttack: CustomTestStringConvertible, Sendable {
    let name: String
    /// What the refusal must say.
    let expect: String
    /// The spoiled document, from the good one.
    let spoil: @Sendable (Data) -> Data
    init(name: String, expect: String, spoil: @escaping @Sendable (Data) -> Data) {
        self.name = name
        self.expect = expect
        self.spoil = spoil
    }
    var testDescription: String { name }
}


extension Hub {
    /// Pushes `main` (or `refspecs`) and expects the hub to refuse it with `rule`, its refs as `before`.
    @discardableResult
    func expectRefused(_ rule: String, pushing refspecs: [String] = ["main"], before: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        let objects = try objectCount()
        let push = try git(["-C", "work", "push", "origin"] + refspecs, timeout: 60)
        #expect(push.status != 0, "\(push)", sourceLocation: sourceLocation)
        #expect(push.stderr.contains("remote: [\(rule)]"), "\(push)", sourceLocation: sourceLocation)
        #expect(try refs() == before, "the hub's refs moved", sourceLocation: sourceLocation)
        #expect(try objectCount() == objects, "the refused push left objects in the hub", sourceLocation: sourceLocation)
        return push
    }

    /// The files under the hub's `objects/` (loose objects and packs).
    /// The hub's objects. A refused push's quarantine (`tmp_objdir-incoming-*`) is not in the
    /// repository: git removes it after refusing, which may end just after the client does.
    func objectCount() throws -> Int {
        try FileManager.default.subpathsOfDirectory(atPath: w.directory.file("hub.git/objects"))
            .filter { !$0.hasPrefix("tmp_objdir-incoming") }.count
    }

    /// `-c` options that make stock git sign with `key` (a key file of the workspace).
    func signing(with key: String) -> [String] {
        guard let sshKeygen else { return [] }
        return ["-c", "gpg.format=ssh", "-c", "gpg.ssh.program=\(sshKeygen)", "-c", "user.signingKey=\(w.directory.file(key))"]
    }

    /// Commits what is staged in `work` as the node would, for `case` and `actor`.
    func commitAsTheNode(_ subject: String, action: String, case id: String, actor: String = "chen.clerk") throws {
        // The actor as the trailers of the actor's earlier steps spell it.
        let actors = try git(["-C", "work", "log", "--format=%(trailers:key=Actor,valueonly)"]).stdout.split(separator: "\n")
        guard let spelled = actors.first(where: { $0.hasPrefix(actor + " ") }) else { throw SetupError("no step of \(actor) yet") }
        let message = "\(subject)\n\nCase: \(id)\nAction: \(action)\nActor: \(spelled)\n"
        let commit = try git(nodeSigning + ["-C", "work", "commit", "-q", "--no-verify"] + (canSign ? ["-S"] : []) + ["-m", message],
                             environment: nodeIdentity)
        guard commit.status == 0 else { throw SetupError("git commit: \(commit)") }
    }

    func commitAsTheNode(_ subject: String, action: String, actor: String) throws {
        try commitAsTheNode(subject, action: action, case: "REG-2026-edu1-0001", actor: actor)
    }

    /// Stages everything in `work` into the last commit, re-signed by the node.
    func amendAsTheNode() throws {
        #expect(try git(["-C", "work", "add", "-A"]).status == 0)
        let amend = try git(nodeSigning + ["-C", "work", "commit", "-q", "--amend", "--no-edit", "--no-verify"] + (canSign ? ["-S"] : []),
                            environment: nodeIdentity)
        guard amend.status == 0 else { throw SetupError("git commit --amend: \(amend)") }
    }

    /// Writes `trust/policy.yaml` of `work`: the workspace's node, clerk and reviewer, and `admins`.
    func proposePolicy(version: Int, admins: [String], threshold: Int) throws {
        var text = """
        kind: "policy"
        version: \(version)
        mode: "test"
        threshold: \(threshold)
        identities:
          - {name: "edu1", key: "\(w.publicKey("edu1"))", roles: ["agency-node"], jurisdiction: "edu"}
          - {name: "chen.clerk", key: "\(w.publicKey("chen.clerk"))", roles: ["clerk"], jurisdiction: "edu"}
          - {name: "wang.reviewer", key: "\(w.publicKey("wang.reviewer"))", roles: ["authority-reviewer"], jurisdiction: "edu"}

        """
        for admin in admins {
            text += "  - {name: \"\(admin)\", key: \"\(w.publicKey(admin))\", roles: [\"admin\"]}\n"
        }
        try w.directory.write("work/trust/policy.yaml", text)
        try? FileManager.default.removeItem(atPath: w.directory.file("work/trust/policy.yaml.sig"))
    }

    /// Commits the proposed policy and its signatures with stock git, as the node, as
    /// `trust commit` would have but without asking the validator.
    func commitPolicyAsTheNode() throws {
        #expect(try git(["-C", "work", "add", "trust/policy.yaml", "trust/policy.yaml.sig"]).status == 0)
        let commit = try git(nodeSigning + ["-C", "work", "commit", "-q", "--no-verify"] + (canSign ? ["-S"] : []) + ["-m", "trust: policy"],
                             environment: nodeIdentity)
        guard commit.status == 0 else { throw SetupError("git commit: \(commit)") }
    }

    /// Records a submission of case 1 with a small PDF attached, then puts `bytes` in the
    /// attachment's place, the commit re-signed by the node.
    func replaceAttachmentOfASubmission(with bytes: Data) throws {
        let pdf = try w.directory.write("letter.pdf", "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
        try webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--attach", pdf, "--repo", "work"])
        let attachments = w.directory.file("work/\(AttackTests.caseDirectory)/attachments")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: attachments).first)
        try bytes.write(to: URL(fileURLWithPath: "\(attachments)/\(name)"))
        try amendAsTheNode()
    }

    /// `git mktree` of `listing` (ls-tree's format) in `work`: the tree's id.
    func makeTree(_ listing: String) throws -> String {
        let made = try runProcess(gitBinary, ["-C", w.directory.file("work"), "mktree"], stdin: Data(listing.utf8))
        guard made.status == 0 else { throw SetupError("git mktree: \(made)") }
        return made.stdout.trimmed
    }

    /// The files of the last commit's step (name → bytes), the commit itself undone.
    func takeLastStep() throws -> [(String, Data)] {
        let names = try git(["-C", "work", "diff", "--name-only", "HEAD~1", "HEAD"]).stdout.split(separator: "\n").map(String.init)
        var files: [(String, Data)] = []
        for path in names where path.contains("/steps/") {
            files.append((String(path.split(separator: "/").last!), try Data(contentsOf: URL(fileURLWithPath: w.directory.file("work/\(path)")))))
        }
        guard try git(["-C", "work", "reset", "-q", "--hard", "HEAD~1"]).status == 0 else { throw SetupError("git reset") }
        return files
    }
}
