import Foundation
import Testing
import CaseModel
import CaseSigning
@testable import CaseRules

/// Scenarios as data: Vectors/administrative-changes.json.
@Suite struct AdministrativeVectorTests {
    struct File: Decodable {
        let cases: [Case]
    }

    struct Case: Decodable, CustomTestStringConvertible {
        struct PolicySpec: Decodable {
            var version: Int?
            let threshold: Int
            let admins: [String]
            var revoked: [String]?
            var retired: [String]?
        }
        struct Change: Decodable {
            let path: String
            var newVersion: Int?
            var newAdmins: [String]?
            var newNodes: Bool?
            let signers: [String]
            var problem: Bool?
        }
        let name: String
        let policy: PolicySpec
        let change: Change
        let expect: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        guard let url = Bundle.module.url(forResource: "administrative-changes", withExtension: "json", subdirectory: "Vectors"),
              let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    @Test func theVectorsAreThere() {
        #expect(Self.cases.count >= 10)
    }

    @Test(arguments: AdministrativeVectorTests.cases)
    func verdict(_ vector: Case) throws {
        let now = Timestamp("2026-06-01T10:00:00+08:00")!
        var keys: [String: SigningKey] = [:]
        func key(_ name: String) -> SigningKey {
            if let key = keys[name] { return key }
            let key = SigningKey.generate()
            keys[name] = key
            return key
        }
        let node = key("edu1")
        func policy(version: Int, admins: [String], nodes: Bool = true) -> Policy {
            var identities: [Policy.Identity] = nodes
                ? [.init(name: "edu1", key: node.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "edu")]
                : [.init(name: "edu1", key: node.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "social")]
            for admin in admins {
                var identity = Policy.Identity(name: admin, key: key(admin).publicKey.authorizedKeysLine(comment: nil), roles: [.admin])
                if vector.policy.revoked?.contains(admin) == true {
                    identity.revoked = .init(at: Timestamp("2026-05-01T00:00:00+08:00")!, reason: "lost")
                }
                if vector.policy.retired?.contains(admin) == true {
                    identity.validUntil = Timestamp("2026-05-01T00:00:00+08:00")
                }
                identities.append(identity)
            }
            return Policy(version: version, mode: .test, identities: identities, threshold: vector.policy.threshold)
        }
        let old = policy(version: vector.policy.version ?? 1, admins: vector.policy.admins)
        let oldKeys = try PolicyKeys(old)
        let document = Data("new content".utf8)
        let signers = try vector.change.signers.map { name in
            let signer = key(name)
            let envelope = try SignatureEnvelope.sign(document: document, payloadType: "t", key: signer)
            return try envelope.verify(document: document, payloadType: "t", keys: [signer.publicKey.fingerprint: signer.publicKey])[0]
        }
        let new = vector.change.newVersion.map {
            (old: old, new: policy(version: $0, admins: vector.change.newAdmins ?? [], nodes: vector.change.newNodes ?? true))
        }
        let administration = AdministrativeChange(
            files: [.init(path: vector.change.path, signers: signers,
                          problem: vector.change.problem == true ? Message(.signatureBad, ["file": vector.change.path, "keyid": "?"]) : nil)],
            policy: new, config: nil)
        let commit = CommitEvidence(
            id: String(repeating: "b", count: 40), parentCount: 1,
            changes: [ChangedFile(path: vector.change.path, status: .modified, mode: 0o100644, oldMode: 0o100644, size: 11, sha256: "x"),
                      ChangedFile(path: vector.change.path + ".sig", status: .modified, mode: 0o100644, oldMode: 0o100644, size: 11, sha256: "y")],
            trailers: [], committerName: "edu1", committerEmail: "edu1@edu.webjcase", committerTime: now.date,
            signature: .verified(try SignatureEnvelope.sign(document: document, payloadType: "t", key: node)
                .verify(document: document, payloadType: "t", keys: [node.publicKey.fingerprint: node.publicKey])[0]))
        let input = CommitInput(commit: commit, state: nil, opensCase: false, step: nil, administration: administration)
        #expect(input.isAdministrative)
        let context = RuleContext(jurisdiction: "edu", policy: old, keys: oldKeys, now: now.date)
        #expect(CommitRules.judge(input, context).map(\.rule) == vector.expect, "\(vector.name)")
    }
}

@Suite struct AdministrativeRuleTests {
    let node = SigningKey.generate()
    let admin = SigningKey.generate()

    var policy: Policy {
        Policy(version: 1, mode: .test, identities: [
            .init(name: "edu1", key: node.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "edu"),
            .init(name: "lin", key: admin.publicKey.authorizedKeysLine(comment: nil), roles: [.admin]),
        ], threshold: 1)
    }

    func verified(_ key: SigningKey) throws -> VerifiedSignature {
        let data = Data("x".utf8)
        return try SignatureEnvelope.sign(document: data, payloadType: "t", key: key).verify(document: data, payloadType: "t", keys: [key.publicKey.fingerprint: key.publicKey])[0]
    }

    func findings(_ changes: [ChangedFile], config: (old: RepositoryConfig, new: RepositoryConfig)? = nil) throws -> [String] {
        let now = Date()
        let commit = CommitEvidence(id: String(repeating: "c", count: 40), parentCount: 1, changes: changes, trailers: [],
                                    committerName: "edu1", committerEmail: "edu1@edu.webjcase", committerTime: now,
                                    signature: .verified(try verified(node)))
        let files = changes.filter { $0.status != .deleted && RepositoryPath($0.path).signedFile == nil }
            .map { AdministrativeChange.File(path: $0.path, signers: [try! verified(admin)], problem: nil) }
        let input = CommitInput(commit: commit, state: nil, opensCase: false, step: nil,
                                administration: AdministrativeChange(files: files, policy: nil, config: config))
        let context = RuleContext(jurisdiction: "edu", policy: policy, keys: try PolicyKeys(policy), now: now)
        return CommitRules.judge(input, context).map(\.rule)
    }

    @Test func protectedFilesAreNeverDeleted() throws {
        #expect(try findings([ChangedFile(path: "calendar/2026.yaml", status: .deleted, mode: nil, oldMode: 0o100644, size: nil, sha256: nil)]) == ["A-DELETE"])
        #expect(try findings([ChangedFile(path: "calendar/2027.yaml", status: .modified, mode: 0o100644, oldMode: 0o100644, size: 1, sha256: "a")]) == [])
    }

    @Test func settingsKeepTheirJurisdictionAndFormat() throws {
        let old = RepositoryConfig(format: 1, jurisdiction: "edu", name: "a", attachments: .defaults)
        var renamed = old
        renamed.name = "b"
        var moved = old
        moved.jurisdiction = "social"
        let change = [ChangedFile(path: "webjcase.yaml", status: .modified, mode: 0o100644, oldMode: 0o100644, size: 1, sha256: "a")]
        #expect(try findings(change, config: (old, renamed)) == [])
        #expect(try findings(change, config: (old, moved)) == ["A-SETTINGS"])
    }
}
