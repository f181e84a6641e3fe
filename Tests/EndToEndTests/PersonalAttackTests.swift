import Foundation
import Testing
import TestSupport

/// The hub's personal store is a closed world (SECURITY.md, guarantee 12). Each attack is
/// made the way an attacker holding node edu1's key and token would make it: stock git
/// plumbing (hash-object, update-index, write-tree, commit-tree, signed with the node's key
/// where the attack needs it), pushed with stock git through `webjcase serve` as edu1 (one
/// pack, which stock git would not make, is POSTed by hand). Each must be refused by the
/// store's pre-receive hook with its rule id, and leave the hub's store as it was: its refs
/// and its object files.
@Suite(.enabled(if: sshKeygen != nil, "ssh-keygen is needed to sign the node's commits"))
struct PersonalAttackTests {
    /// A personal value with its salt and commitment, as a node keeps it.
    struct Entry {
        let hex: String
        let yaml: String
        var commitment: String { "sha256:" + hex }
        var path: String { "entries/\(hex.prefix(2))/\(hex).yaml" }

        init(value: String, case id: String = "REG-2026-edu1-0001") throws {
            var generator = SystemRandomNumberGenerator()
            let salt = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let digest = try runProcess("/usr/bin/sha256sum", [], stdin: salt + Data(value.utf8))
            hex = String(digest.stdout.prefix(64))
            yaml = """
            kind: "personal"
            commitment: "sha256:\(hex)"
            salt: "\(salt.base64EncodedString())"
            value: "\(value)"
            case: "\(id)"

            """
            #expect(hex.count == 64, "\(digest)")
        }

        /// The same entry with another case.
        func moved(to id: String) -> String {
            yaml.replacingOccurrences(of: "case: \"REG-2026-edu1-0001\"", with: "case: \"\(id)\"")
        }
    }

    /// A served hub and `store`, edu1's stock-git clone of `edu.personal.git`, to which edu1
    /// has pushed one entry (`first`) in a commit made as its sync makes one: accepted.
    final class Store {
        let hub: HubServeTests.ServedHub
        var w: Workspace { hub.w }
        var first: Entry!
        /// The hub's `main` after the first push.
        var tip = ""
        private var counter = 0

        init() throws {
            hub = try HubServeTests.ServedHub()
            let cloned = try hub.git(["clone", "-q", hub.url("edu.personal.git", as: "edu1"), "store"])
            #expect(cloned.status == 0, "\(cloned)")
            first = try Entry(value: "王小明")
            tip = try commit(adding: [(first.path, try blob(first.yaml), "100644")], parent: nil)
            let pushed = try push(tip)
            #expect(pushed.status == 0, "a node's own signed entry is accepted: \(pushed)")
            #expect(try hubMain() == tip)
        }

        /// The author and committer a node's sync gives its commits.
        static func identity(_ name: String, email: String? = nil) -> [String: String] {
            let email = email ?? "\(name)@personal.webjcase"
            return ["GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email]
        }

        func blob(_ text: String) throws -> String { try blob(Data(text.utf8)) }

        func blob(_ data: Data) throws -> String {
            counter += 1
            let file = w.directory.file("blob-\(counter)")
            try data.write(to: URL(fileURLWithPath: file))
            let written = try w.git(["-C", "store", "hash-object", "-w", file])
            #expect(written.status == 0, "\(written)")
            return written.stdout.trimmed
        }

        /// A commit of `parent`'s tree with `adding` (path, blob, mode) put in and `removing`
        /// taken out; signed by `key` (none: unsigned), author and committer `identity`.
        func commit(adding: [(path: String, blob: String, mode: String)], removing: [String] = [], parent: String?,
                    parents extra: [String] = [], key: String? = "edu1", identity: [String: String] = Store.identity("edu1"),
                    message file: String? = nil) throws -> String {
            counter += 1
            let index = ["GIT_INDEX_FILE": w.directory.file("index-\(counter)")]
            let read = try w.git(["-C", "store", "read-tree"] + (parent.map { [$0] } ?? ["--empty"]), environment: index)
            #expect(read.status == 0, "\(read)")
            for file in adding {
                let added = try w.git(["-C", "store", "update-index", "--add", "--cacheinfo", "\(file.mode),\(file.blob),\(file.path)"],
                                      environment: index)
                #expect(added.status == 0, "\(added)")
            }
            for path in removing {
                #expect(try w.git(["-C", "store", "update-index", "--force-remove", path], environment: index).status == 0)
            }
            let tree = try w.git(["-C", "store", "write-tree"], environment: index)
            #expect(tree.status == 0, "\(tree)")
            var arguments = ["-C", "store"]
            if let key {
                arguments += ["-c", "gpg.format=ssh", "-c", "gpg.ssh.program=\(sshKeygen ?? "ssh-keygen")",
                              "-c", "user.signingKey=\(w.directory.file(key))", "commit-tree", "-S"]
            } else {
                arguments += ["commit-tree"]
            }
            for id in (parent.map { [$0] } ?? []) + extra { arguments += ["-p", id] }
            let message = file.map { ["-F", $0] } ?? ["-m", "personal: \(adding.count) value(s) from edu1\n"]
            let made = try w.git(arguments + message + [tree.stdout.trimmed], environment: identity)
            #expect(made.status == 0, "\(made)")
            return made.stdout.trimmed
        }

        func push(_ commit: String, to ref: String = "refs/heads/main", force: Bool = false, as node: String = "edu1") throws -> RunResult {
            try hub.git(["-C", "store", "push", hub.url("edu.personal.git", as: node)] + (force ? ["--force"] : []) + ["\(commit):\(ref)"])
        }

        func hubMain() throws -> String { try hub.hubGit("edu.personal.git", ["rev-parse", "main"]).stdout.trimmed }

        func refs() throws -> String { try w.refs("root/edu.personal.git") }

        /// The files under the store's `objects/` (loose objects and packs).
        func objectCount() throws -> Int {
            try FileManager.default.subpathsOfDirectory(atPath: w.directory.file("root/edu.personal.git/objects")).count
        }

        /// A push made by hand, as a client other than git may make one: the update of main
        /// and a pack of exactly `objects`, POSTed to serve's receive-pack as edu1. What the
        /// hook said (side band 2) and git's report (side band 1).
        func rawPush(old: String, new: String, objects: [String]) throws -> (messages: String, report: String) {
            counter += 1
            let base = w.directory.file("raw-\(counter)")
            let packed = try runProcess(gitBinary, ["-C", "store", "pack-objects", base], in: w.path,
                                        environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": w.path],
                                        stdin: Data((objects.joined(separator: "\n") + "\n").utf8))
            #expect(packed.status == 0, "\(packed)")
            let pack = try Data(contentsOf: URL(fileURLWithPath: "\(base)-\(packed.stdout.trimmed).pack"))
            let command = "\(old) \(new) refs/heads/main\0report-status side-band-64k\n"
            var body = Data((String(format: "%04x", command.utf8.count + 4) + command + "0000").utf8)
            body.append(pack)
            try body.write(to: URL(fileURLWithPath: base + ".body"))
            let posted = try runProcess("/usr/bin/curl", [
                "-sS", "-o", base + ".response", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(base).body",
                "-H", "Content-Type: application/x-git-receive-pack-request", "-H", "Accept: application/x-git-receive-pack-result",
                "-u", "edu1:\(hub.tokens["edu1"] ?? "")", "http://127.0.0.1:\(hub.port)/edu.personal.git/git-receive-pack"])
            #expect(posted.status == 0 && posted.stdout == "200", "\(posted)")
            let response = try Data(contentsOf: URL(fileURLWithPath: base + ".response"))
            var messages = Data(), report = Data(), index = response.startIndex
            while index + 4 <= response.endIndex, let length = Int(String(decoding: response[index..<index + 4], as: UTF8.self), radix: 16) {
                guard length >= 4 else { index += 4; continue }
                let payload = response[index + 4..<min(index + length, response.endIndex)]
                if payload.first == 1 { report.append(payload.dropFirst()) }
                if payload.first == 2 || payload.first == 3 { messages.append(payload.dropFirst()) }
                index += length
            }
            return (String(decoding: messages, as: UTF8.self), String(decoding: report, as: UTF8.self))
        }

        /// Pushes `refspec` (or deletes with `":ref"`) and expects the store's hook to refuse it
        /// with `rule`, leaving the store's refs and objects as they were.
        @discardableResult
        func expectRefused(_ rule: String, pushing commit: String, to ref: String = "refs/heads/main", force: Bool = false,
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
            let before = try refs(), objects = try objectCount()
            let push = try self.push(commit, to: ref, force: force)
            #expect(push.status != 0, "\(push)", sourceLocation: sourceLocation)
            #expect(push.stderr.contains("remote: [\(rule)]"), "\(push)", sourceLocation: sourceLocation)
            #expect(try refs() == before, "the store's refs moved", sourceLocation: sourceLocation)
            #expect(try objectCount() == objects, "the refused push left objects in the store", sourceLocation: sourceLocation)
            return push
        }
    }

    // MARK: the layout

    @Test func junkBesideTheEntriesIsRefused() throws {
        let store = try Store()
        let junk = try store.blob("not an entry\n")
        let valid = try Entry(value: "06-2991111")
        // Directly under entries/, at the root, and an entry with no shard directory.
        for path in ["entries/junk.txt", "notes.txt", "entries/\(valid.hex).yaml"] {
            let commit = try store.commit(adding: [(path, path.hasSuffix(".yaml") ? try store.blob(valid.yaml) : junk, "100644")],
                                          parent: store.tip)
            try store.expectRefused("S-PERSONAL-PATH", pushing: commit)
        }
        // An entry file that is executable, a symbolic link, or a shard that is not two hex digits.
        let second = try Entry(value: "contact@example.org.tw")
        let blob = try store.blob(second.yaml)
        for (path, mode) in [(second.path, "100755"), (second.path, "120000"), ("entries/G0/\(second.hex).yaml", "100644")] {
            let commit = try store.commit(adding: [(path, blob, mode)], parent: store.tip)
            try store.expectRefused("S-PERSONAL-PATH", pushing: commit)
        }
        #expect(store.hub.stop() == 0)
    }

    @Test func anEntryNestedBelowItsShardIsRefused() throws {
        let store = try Store()
        let valid = try Entry(value: "06-2991111")
        let blob = try store.blob(valid.yaml)
        // The entry opens its commitment; only its place is wrong: one level too deep, many
        // levels too deep, and in a shard that is not its own.
        let deep = "entries/\(valid.hex.prefix(2))/" + String(repeating: "ab/", count: 40) + "\(valid.hex).yaml"
        for path in ["entries/\(valid.hex.prefix(2))/cd/\(valid.hex).yaml", deep, "entries/\(valid.hex.hasPrefix("00") ? "01" : "00")/\(valid.hex).yaml"] {
            let commit = try store.commit(adding: [(path, blob, "100644")], parent: store.tip)
            try store.expectRefused("S-PERSONAL-PATH", pushing: commit)
        }
        #expect(store.hub.stop() == 0)
    }

    /// A store that took junk before these checks (through the old hook) keeps taking good
    /// entries, and nothing may join or change the junk.
    @Test func junkAStoreAlreadyHeldBlocksNoSyncAndCannotGrow() throws {
        let store = try Store()
        let w = store.w
        let junk = try store.commit(adding: [("entries/junk.txt", try store.blob("left by an old hook\n"), "100644")], parent: store.tip)
        #expect(try w.git(["-C", "store", "update-ref", "refs/heads/junk", junk]).status == 0)
        // Put on the hub behind the hook's back, as the old hook let it through.
        let fetched = try w.git(["--git-dir", w.directory.file("root/edu.personal.git"), "fetch", "-q", w.directory.file("store"),
                                 "+refs/heads/junk:refs/heads/main"])
        #expect(fetched.status == 0, "\(fetched)")
        let valid = try Entry(value: "06-2991111")
        let good = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], parent: junk)
        let pushed = try store.push(good)
        #expect(pushed.status == 0, "\(pushed)")
        let changed = try store.commit(adding: [("entries/junk.txt", try store.blob("more\n"), "100644")], parent: good)
        try store.expectRefused("S-PERSONAL-PATH", pushing: changed)
        let beside = try store.commit(adding: [("entries/junk2.txt", try store.blob("more\n"), "100644")], parent: good)
        try store.expectRefused("S-PERSONAL-PATH", pushing: beside)
        #expect(store.hub.stop() == 0)
    }

    @Test func aBadCommitUnderAGoodTipIsFound() throws {
        let store = try Store()
        // 1 brings junk, 2 takes it out again and adds a good entry: the tip alone looks clean.
        let junk = try store.commit(adding: [("entries/00/junk.bin", try store.blob(Data(repeating: 7, count: 1000)), "100644")],
                                    parent: store.tip)
        let valid = try Entry(value: "06-2991111")
        let clean = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], removing: ["entries/00/junk.bin"],
                                     parent: junk)
        try store.expectRefused("S-PERSONAL-PATH", pushing: clean)
        #expect(store.hub.stop() == 0)
    }

    @Test func anObjectNoPushedCommitHoldsIsRefused() throws {
        let store = try Store()
        let valid = try Entry(value: "06-2991111")
        let commit = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], parent: store.tip)
        let listed = try store.w.git(["-C", "store", "rev-list", "--objects", commit, "--not", store.tip])
        let objects = listed.stdout.split(separator: "\n").map { String($0.prefix(40)) }
        #expect(objects.count == 5, "the commit, three directories, the entry: \(listed)")
        // Beside them, a blob no commit holds (a stand-in for a large one: git would keep it).
        let junk = try store.blob(Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        let before = try store.refs(), count = try store.objectCount()
        let refused = try store.rawPush(old: store.tip, new: commit, objects: objects + [junk])
        #expect(refused.messages.contains("[S-PERSONAL-PATH]") && refused.messages.contains(junk), "\(refused)")
        #expect(refused.report.contains("ng refs/heads/main"), "\(refused)")
        #expect(try store.refs() == before)
        #expect(try store.objectCount() == count, "the refused push left objects in the store")
        // The same push without it is taken.
        let taken = try store.rawPush(old: store.tip, new: commit, objects: objects)
        #expect(taken.report.contains("ok refs/heads/main"), "\(taken)")
        #expect(try store.hubMain() == commit)
        #expect(store.hub.stop() == 0)
    }

    // MARK: size

    @Test func anEntryOverTheSizeLimitIsRefused() throws {
        let store = try Store()
        // A well-formed entry that opens its commitment at its own path, its value 64 KiB.
        let huge = try Entry(value: String(repeating: "x", count: 64 << 10))
        let commit = try store.commit(adding: [(huge.path, try store.blob(huge.yaml), "100644")], parent: store.tip)
        let refused = try store.expectRefused("S-PERSONAL-SIZE", pushing: commit)
        #expect(refused.stderr.contains("65536"), "the message names the limit: \(refused)")
        // A commit whose message is larger than an entry may be.
        let valid = try Entry(value: "06-2991111")
        try store.w.directory.write("message.txt", "personal: 1 value(s) from edu1\n\n" + String(repeating: "padding ", count: 9000))
        let listed = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], parent: store.tip,
                                      message: store.w.directory.file("message.txt"))
        try store.expectRefused("S-PERSONAL-SIZE", pushing: listed)
        // hub init has git refuse a pack over 64 MiB before the hook runs.
        #expect(try store.hub.hubGit("edu.personal.git", ["config", "receive.maxInputSize"]).stdout == "\(64 << 20)\n")
        #expect(store.hub.stop() == 0)
    }

    // MARK: immutability

    @Test func anEntryOnceWrittenIsNeverChangedOrRemoved() throws {
        let store = try Store()
        let first = store.first!
        // The same value and salt (it still opens its commitment) under another case.
        let moved = try store.commit(adding: [(first.path, try store.blob(first.moved(to: "REG-2026-edu1-0002")), "100644")],
                                     parent: store.tip)
        try store.expectRefused("S-PERSONAL-IMMUTABLE", pushing: moved)
        // The same bytes, made executable.
        let executable = try store.commit(adding: [(first.path, try store.blob(first.yaml), "100755")], parent: store.tip)
        try store.expectRefused("S-PERSONAL-IMMUTABLE", pushing: executable)
        // Taken out, beside a new entry.
        let valid = try Entry(value: "06-2991111")
        let removed = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], removing: [first.path],
                                       parent: store.tip)
        try store.expectRefused("S-PERSONAL-IMMUTABLE", pushing: removed)
        #expect(store.hub.stop() == 0)
    }

    // MARK: who signs

    @Test func aCommitNotSignedByTheNodeIsRefused() throws {
        let store = try Store()
        let valid = try Entry(value: "06-2991111")
        let blob = try store.blob(valid.yaml)
        let adding = [(path: valid.path, blob: blob, mode: "100644")]
        // Unsigned, its author and committer claiming to be the Centre.
        let unsigned = try store.commit(adding: adding, parent: store.tip, key: nil, identity: Store.identity("centre"))
        try store.expectRefused("S-PERSONAL-SIGNER", pushing: unsigned)
        // Signed by edu1, but claiming to be the Centre.
        let claimed = try store.commit(adding: adding, parent: store.tip, identity: Store.identity("centre"))
        try store.expectRefused("S-PERSONAL-SIGNER", pushing: claimed)
        // Signed by a key the policy does not know, and by a node of another jurisdiction.
        for key in ["outsider", "soc1"] {
            let foreign = try store.commit(adding: adding, parent: store.tip, key: key, identity: Store.identity(key))
            try store.expectRefused("S-PERSONAL-SIGNER", pushing: foreign)
        }
        // Signed by a Centre node that may write here, but pushed by edu1 (who holds only
        // its own key: the Centre's is used here to show the pusher is checked too).
        let relayed = try store.commit(adding: adding, parent: store.tip, key: "centre", identity: Store.identity("centre"))
        try store.expectRefused("S-PERSONAL-SIGNER", pushing: relayed)
        // The same commit pushed by the Centre itself is accepted.
        let pushed = try store.push(relayed, as: "centre")
        #expect(pushed.status == 0, "\(pushed)")
        #expect(store.hub.stop() == 0)
    }

    // MARK: history

    @Test func aRewriteOrADeletionOfTheStoreIsRefusedByItsHook() throws {
        let store = try Store()
        let valid = try Entry(value: "06-2991111")
        let second = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], parent: store.tip)
        #expect(try store.push(second).status == 0)
        // Back to the first commit, forced; a new history beside it; the ref deleted; another ref.
        try store.expectRefused("S-PERSONAL-HISTORY", pushing: store.tip, force: true)
        let other = try Entry(value: "contact@example.org.tw")
        let rootless = try store.commit(adding: [(other.path, try store.blob(other.yaml), "100644")], parent: nil)
        try store.expectRefused("S-PERSONAL-HISTORY", pushing: rootless, force: true)
        try store.expectRefused("S-PERSONAL-HISTORY", pushing: "", to: "refs/heads/main")
        try store.expectRefused("S-PERSONAL-HISTORY", pushing: second, to: "refs/heads/review")
        // A merge of two well-signed lines.
        let line = try store.commit(adding: [(other.path, try store.blob(other.yaml), "100644")], parent: store.tip)
        let merge = try store.commit(adding: [(other.path, try store.blob(other.yaml), "100644")], parent: second, parents: [line])
        try store.expectRefused("S-PERSONAL-HISTORY", pushing: merge)
        #expect(try store.hubMain() == second)
        #expect(store.hub.stop() == 0)
    }

    // MARK: deletion

    @Test func aDeletedValueNeverComesBackAtAnyPath() throws {
        let store = try Store()
        let w = store.w
        let first = store.first!
        try w.directory.write("deletion.yaml", """
        kind: "personal-deletion"
        format: 1
        jurisdiction: "edu"
        organization: "12345678"
        reason: "PDPA art. 11 request"
        requestedAt: 2026-03-02T10:00:00+08:00
        commitments: ["\(first.commitment)"]

        """)
        #expect(try w.webjcase(["sign", "deletion.yaml", "--key", "lin.admin"]).status == 0)
        let deleted = try w.webjcase(["personal", "delete", "deletion.yaml", "--repo", "root/edu.git"])
        #expect(deleted.status == 0 && deleted.stderr.contains("1 personal value(s) of 12345678 deleted"), "\(deleted)")
        #expect(try store.hub.git(["-C", "store", "fetch", "-q", store.hub.url("edu.personal.git", as: "edu1"), "main"]).status == 0)
        let tip = try store.hubMain()
        let blob = try store.blob(first.yaml)
        // At its own path, at a path named by another commitment, and directly under
        // entries/ (refused there for its place too; deeper, for its place alone).
        let other = String(repeating: first.hex.hasPrefix("0") ? "1" : "0", count: 64)
        for path in [first.path, "entries/\(other.prefix(2))/\(other).yaml", "entries/\(first.hex).yaml"] {
            let commit = try store.commit(adding: [(path, blob, "100644")], parent: tip)
            try store.expectRefused("S-PERSONAL-DELETED", pushing: commit)
        }
        // Nor can a push touch the tombstones.
        let tombstone = "deleted/\(first.hex.prefix(2))/\(first.hex).yaml"
        try store.expectRefused("S-PERSONAL-DELETED", pushing: try store.commit(adding: [], removing: [tombstone], parent: tip))
        // A new value goes on top of the hub's new history as before.
        let valid = try Entry(value: "06-2991111")
        let next = try store.commit(adding: [(valid.path, try store.blob(valid.yaml), "100644")], parent: tip)
        let pushed = try store.push(next)
        #expect(pushed.status == 0, "\(pushed)")
        #expect(store.hub.stop() == 0)
    }
}
