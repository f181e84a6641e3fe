import Foundation
import Testing
import CaseModel
import CaseSigning
import CaseStore
import TestSupport
@testable import CaseHub

/// Who may read and write what on a hub: the policy at `main` of the repository asked for
/// decides, for every kind of identity, on a hub made by `Hub.initialize`.
@Suite struct HubAccessTests {
    /// A hub with edu and social, and a policy naming one identity of each kind.
    final class MadeHub: @unchecked Sendable {
        let work: TemporaryDirectory
        let root: String
        let tokens: [String: String]
        let config: HubConfig

        init() throws {
            work = try TemporaryDirectory("hub-access")
            var lines: [String] = []
            var keys: [String: SigningKey] = [:]
            let people: [(name: String, roles: String, extra: String)] = [
                ("centre", "[\"centre-node\"]", ""),
                ("hub", "[\"hub\"]", ""),
                ("edu1", "[\"agency-node\", \"admin\"]", ", jurisdiction: \"edu\""),
                ("soc1", "[\"agency-node\"]", ", jurisdiction: \"social\""),
                ("auditor1", "[\"auditor\"]", ""),
                ("eduaudit", "[\"agency-node\", \"auditor\"]", ", jurisdiction: \"edu\""),
                ("gone", "[\"agency-node\"]", ", jurisdiction: \"edu\", revoked: {at: \"2026-03-01T00:00:00+08:00\", reason: \"card lost\"}"),
                ("chen", "[\"clerk\"]", ", jurisdiction: \"edu\""),
            ]
            for person in people {
                let key = SigningKey.generate()
                keys[person.name] = key
                lines.append("  - {name: \"\(person.name)\", key: \"\(key.publicKey.authorizedKeysLine(comment: nil))\", roles: \(person.roles)\(person.extra)}")
                _ = FileManager.default.createFile(atPath: work.file(person.name), contents: Data(key.openSSHPrivateKey(comment: person.name).utf8),
                                                   attributes: [.posixPermissions: 0o600])
            }
            try work.write("policy.yaml", "kind: \"policy\"\nversion: 1\nmode: \"test\"\nthreshold: 1\nidentities:\n" + lines.joined(separator: "\n") + "\n")
            var tokens: [String: String] = [:]
            var tokenLines = ""
            for node in ["centre", "hub", "edu1", "soc1", "auditor1", "eduaudit", "gone", "chen", "stranger"] {
                let (token, sha256) = Hub.makeToken()
                tokens[node] = token
                tokenLines += "  - {node: \"\(node)\", sha256: \"\(sha256)\"}\n"
            }
            self.tokens = tokens
            try work.write("hub.yaml", """
            kind: "hub"
            format: 1
            policy: "policy.yaml"
            node: "centre"
            key: "centre"
            hubKey: "hub"
            jurisdictions:
              - {id: "edu", name: "臺南市政府教育局"}
              - {id: "social", name: "臺南市政府社會局"}
            tokens:
            \(tokenLines)
            """)
            config = try HubConfig.load(work.file("hub.yaml"))
            root = work.file("root")
            let made = try Hub.initialize(root: root, config: config, binary: "/bin/false",
                                          clock: FixedClock(Timestamp("2026-03-02T08:00:00+08:00")!.date))
            #expect(made.map(\.jurisdiction) == ["edu", "social"])
        }

        var access: HubAccess { HubAccess(root: root, tokens: config.tokens) }
    }

    /// One row per identity: may it read (r) / write (w) each of edu's and social's case
    /// repository and personal store. `-` is a refusal.
    @Test func theAccessMatrix() throws {
        let hub = try MadeHub()
        let access = hub.access
        let columns: [(repository: String, write: Bool)] = [
            ("edu.git", false), ("edu.git", true), ("edu.personal.git", false), ("edu.personal.git", true),
            ("social.git", false), ("social.git", true), ("social.personal.git", false), ("social.personal.git", true),
        ]
        //                          edu.git  edu.personal  social.git  social.personal
        let matrix: [(node: String, expected: String)] = [
            ("centre", /*         */ "rw       rw            rw          rw"),
            ("edu1", /*           */ "rw       rw            --          --"),
            ("soc1", /*           */ "--       --            rw          rw"),
            ("auditor1", /*       */ "r-       --            r-          --"),
            // An agency node that also audits: its own jurisdiction whole, the others' cases to read.
            ("eduaudit", /*       */ "rw       rw            r-          --"),
            ("hub", /*            */ "--       --            --          --"),
            ("gone", /*           */ "--       --            --          --"),
            ("chen", /*           */ "--       --            --          --"),
            ("stranger", /*       */ "--       --            --          --"),
        ]
        for row in matrix {
            let expected = Array(row.expected.filter { !$0.isWhitespace })
            #expect(expected.count == columns.count)
            for (index, column) in columns.enumerated() {
                let service = column.write ? "git-receive-pack" : "git-upload-pack"
                for route in [GitRoute(path: "/\(column.repository)/\(service)", query: ""),
                              GitRoute(path: "/\(column.repository)/info/refs", query: "service=\(service)")] {
                    let route = try #require(route)
                    let allowed = access.allows(node: row.node, route: route)
                    #expect(allowed == (expected[index] != "-"),
                            "\(row.node) \(column.write ? "writing" : "reading") \(column.repository) \(route.pathInfo)")
                }
            }
        }
        // A jurisdiction the hub does not hold: nobody, not even the Centre.
        let absent = try #require(GitRoute(path: "/health.git/git-upload-pack", query: ""))
        #expect(!access.allows(node: "centre", route: absent))
    }

    @Test func accessFollowsThePolicyOfTheRepositoryAskedFor() throws {
        let hub = try MadeHub()
        // A repository whose own config names another jurisdiction than its directory: refused.
        try FileManager.default.moveItem(atPath: HubLayout(root: hub.root).caseRepository("social"),
                                         toPath: (hub.root as NSString).appendingPathComponent("other.git"))
        let moved = try #require(GitRoute(path: "/other.git/git-upload-pack", query: ""))
        #expect(moved.jurisdiction == "other")
        #expect(!hub.access.allows(node: "centre", route: moved))
        // A personal store is judged by its jurisdiction's case repository: gone with it.
        let personal = try #require(GitRoute(path: "/social.personal.git/git-upload-pack", query: ""))
        #expect(!hub.access.allows(node: "soc1", route: personal))
        #expect(!hub.access.allows(node: "centre", route: personal))
    }

    @Test func tokensAuthenticateTheirNodeOnly() throws {
        let hub = try MadeHub()
        let access = hub.access
        func basic(_ user: String, _ password: String) -> String {
            "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        let token = try #require(hub.tokens["edu1"])
        #expect(access.authenticate(basic("edu1", token)) == "edu1")
        #expect(access.authenticate("basic " + Data("edu1:\(token)".utf8).base64EncodedString()) == "edu1")
        #expect(access.authenticate(basic("edu1", token + "x")) == nil)
        #expect(access.authenticate(basic("soc1", token)) == nil, "edu1's token is not soc1's")
        #expect(access.authenticate(basic("nobody", token)) == nil)
        #expect(access.authenticate(basic("edu1", "")) == nil)
        #expect(access.authenticate(nil) == nil)
        #expect(access.authenticate("Bearer " + token) == nil)
        #expect(access.authenticate("Basic !!!not-base64") == nil)
        #expect(access.authenticate("Basic " + Data("edu1".utf8).base64EncodedString()) == nil, "no colon")
        // A token with a colon in it: only the first colon separates the user.
        #expect(HubAccess(root: hub.root, tokens: [.init(node: "x1", sha256: Digest.sha256Hex(Data("a:b".utf8)))])
            .authenticate(basic("x1", "a:b")) == "x1")
        #expect(HubAccess.constantTimeEqual("abc", "abc"))
        #expect(!HubAccess.constantTimeEqual("abc", "abd"))
        #expect(!HubAccess.constantTimeEqual("abc", "abcd"))
    }

    @Test func statusListsOnlyWhatTheNodeMayRead() throws {
        let hub = try MadeHub()
        let access = hub.access
        func names(_ node: String) throws -> [String] {
            try HubStatus.read(root: hub.root) { name in
                GitRoute.reading(name).map { access.allows(node: node, route: $0) } ?? false
            }.repositories.map(\.name)
        }
        #expect(try names("centre") == ["edu.git", "social.git"])
        #expect(try names("auditor1") == ["edu.git", "social.git"])
        #expect(try names("edu1") == ["edu.git"])
        #expect(try names("soc1") == ["social.git"])
        #expect(try names("gone").isEmpty)
        #expect(try names("hub").isEmpty)
        let status = try HubStatus.read(root: hub.root) { _ in true }
        #expect(status.repositories.map(\.jurisdiction) == ["edu", "social"])
        #expect(status.repositories.allSatisfy { $0.head?.count == 40 && $0.lastPush == nil })
    }
}
