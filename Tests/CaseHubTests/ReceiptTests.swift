import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
import CaseRules
import GitKit
import TestSupport
@testable import CaseStore
import CaseHub

/// Receipts (DESIGN §5): racing post-receive hooks each append theirs to one unbroken
/// chain; `verify` refuses a receipt the hub did not sign.
@Suite struct ReceiptTests {
    let work: TemporaryDirectory
    let path: String
    let head: String
    let node = SigningKey.generate()
    let hub = SigningKey.generate()
    let clerk = SigningKey.generate()

    init() throws {
        work = try TemporaryDirectory("receipts")
        try work.write("policy.yaml", """
        kind: "policy"
        version: 1
        mode: "test"
        threshold: 1
        identities:
          - {name: "edu1", key: "\(node.publicKey.authorizedKeysLine(comment: nil))", roles: ["agency-node", "admin"], jurisdiction: "edu"}
          - {name: "hub", key: "\(hub.publicKey.authorizedKeysLine(comment: nil))", roles: ["hub"]}
          - {name: "chen", key: "\(clerk.publicKey.authorizedKeysLine(comment: nil))", roles: ["clerk"], jurisdiction: "edu"}

        """)
        for (name, key) in [("edu1", node), ("hub", hub)] {
            _ = FileManager.default.createFile(atPath: work.file(name), contents: Data(key.openSSHPrivateKey(comment: name).utf8),
                                               attributes: [.posixPermissions: 0o600])
        }
        let clock = FixedClock(Timestamp("2026-03-02T10:00:00+08:00")!.date)
        let made = try CaseRepository.initialize(
            InitOptions(directory: work.file("edu.git"), jurisdiction: "edu", name: "教育局", node: "edu1",
                        policyFile: work.file("policy.yaml"), keyPath: work.file("edu1"), bare: true, binary: "/bin/false"), clock: clock)
        path = made.path
        let repository = try CaseRepository(path: path)
        try repository.git.setConfig("webjcase.hubKey", work.file("hub"))
        let clerk = self.clerk
        head = try repository.exclusively("test") { lock in
            try repository.openCase(kind: .registration, organization: "12345678", data: .init(subject: "s"),
                                    key: StepSigner(clerk), clock: clock, lock: lock)
        }.commit
    }

    @Test func racingPushesEachGetAReceiptInOneChain() throws {
        let update = try #require(RefUpdate(line: Substring("\(String(repeating: "0", count: 40)) \(head) refs/heads/main")))
        let now = Timestamp("2026-03-02T10:01:00+08:00")!.date
        let path = self.path
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                // One handle per hook process, as on a hub.
                let written = try CaseRepository(path: path).appendReceipts([update], pusher: "node\(index)", now: now)
                if written.count != 1 { failures.add("node\(index) wrote \(written.count)") }
            } catch {
                failures.add("node\(index): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let repository = try CaseRepository(path: path)
        let chain = try repository.git.walk(from: [try #require(try repository.git.reference(CaseRepository.receiptsRef))], oldestFirst: true)
        #expect(chain.count == 8)
        let receipts = try chain.map { try repository.receipt(at: $0) }
        #expect(receipts.map(\.sequence) == Array(1...8))
        #expect(Set(receipts.map(\.by)).count == 8, "no receipt lost")
        #expect(receipts.allSatisfy { $0.commits.count == 2 })
        #expect(try repository.verifyReceipts().isEmpty)
        #expect(try repository.lastReceipt()?.sequence == 8)
    }

    @Test func aReceiptTheHubDidNotSignIsRefused() throws {
        let repository = try CaseRepository(path: path)
        let update = try #require(RefUpdate(line: Substring("\(String(repeating: "0", count: 40)) \(head) refs/heads/main")))
        _ = try repository.appendReceipts([update], pusher: "edu1", now: Timestamp("2026-03-02T10:01:00+08:00")!.date)
        #expect(try repository.verifyReceipts().isEmpty)
        // The same receipt text, signed by the node instead of the hub.
        let tip = try #require(try repository.git.reference(CaseRepository.receiptsRef))
        var receipt = try repository.receipt(at: tip)
        receipt.sequence = 2
        receipt.previous = tip.hex
        let git = repository.git
        let tree = try git.buildTree(base: nil, changes: [.set(path: "receipt.yaml", id: try git.writeBlob(try DocumentWriter.yaml(receipt)), mode: .blob)])
        let who = Signature(name: "hub", email: "hub@edu.webjcase", time: Date(), timeZoneOffsetMinutes: 480)
        let forged = try git.createCommit(tree: tree, parent: tip, author: who, committer: who, message: "receipt 2\n") { buffer in
            try SSHSignature.sign(buffer, namespace: "git", key: node)
        }
        try git.updateReference(CaseRepository.receiptsRef, to: forged, expected: tip, message: "forged")
        let findings = try repository.verifyReceipts()
        #expect(findings.map(\.rule) == ["S-RECEIPT"])
        #expect(findings.first?.message.render(.en).contains("not signed by a hub key") == true)
    }

    /// A receipt bounds the signer's claim from above: a claim later than its receipt is
    /// refused, one far earlier is recorded.
    @Test func receiptsBoundClaims() throws {
        let update = try #require(RefUpdate(line: Substring("\(String(repeating: "0", count: 40)) \(head) refs/heads/main")))
        let early = try CaseRepository(path: path)
        _ = try early.appendReceipts([update], pusher: "edu1", now: Timestamp("2026-03-02T09:50:00+08:00")!.date)
        #expect(try early.verifyHistory().verdict.findings.map(\.rule) == ["S-RECEIPT-CLAIM"])

        let late = try ReceiptTests()
        let lateUpdate = try #require(RefUpdate(line: Substring("\(String(repeating: "0", count: 40)) \(late.head) refs/heads/main")))
        let repository = try CaseRepository(path: late.path)
        _ = try repository.appendReceipts([lateUpdate], pusher: "edu1", now: Timestamp("2026-03-06T10:00:01+08:00")!.date)
        let findings = try repository.verifyHistory().verdict.findings
        #expect(findings.map(\.rule) == ["S-RECEIPT-DELAY"])
        #expect(findings.first?.severity == .record)
    }

    /// A revoked key's signature counts when a receipt from before the revocation covers it.
    @Test func aReceiptFromBeforeTheRevocationVouches() throws {
        let identity = Policy.Identity(name: "chen", key: clerk.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk], jurisdiction: "edu")
        let revoked = Policy.Revocation(at: Timestamp("2026-03-05T00:00:00+08:00")!, reason: "card lost")
        #expect(HistoryRules.revocation(identity, revoked, received: Timestamp("2026-03-04T00:00:00+08:00")!.date, path: "p") == nil)
        #expect(HistoryRules.revocation(identity, revoked, received: Timestamp("2026-03-06T00:00:00+08:00")!.date, path: "p")?.severity == .refuse)
        #expect(HistoryRules.revocation(identity, revoked, received: nil, path: "p")?.severity == .record)
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
