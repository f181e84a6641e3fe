import Foundation
import Testing
import CaseModel
import CaseSigning
@testable import CaseRules

/// The rules the validator and the hooks call over the evidence they gather (history,
/// push, trust files, personal store), and the rule lists' ids: each rule returns its own.
@Suite struct EvidenceRulesTests {
    let node = SigningKey.generate()
    let clerk = SigningKey.generate()
    let received = Timestamp("2026-03-10T10:00:00+08:00")!.date

    var policy: Policy {
        Policy(version: 1, mode: .test, identities: [
            .init(name: "edu1", key: node.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "edu"),
            .init(name: "chen", key: clerk.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk], jurisdiction: "edu",
                  revoked: .init(at: Timestamp("2026-03-05T00:00:00+08:00")!, reason: "card lost")),
        ], threshold: 1)
    }

    func verified(_ key: SigningKey) throws -> VerifiedSignature {
        let envelope = try SignatureEnvelope.sign(document: Data("x".utf8), payloadType: "t", key: key)
        return try envelope.verify(document: Data("x".utf8), payloadType: "t", keys: [key.publicKey.fingerprint: key.publicKey])[0]
    }

    func step(at: String) -> StepEvidence {
        let document = StepDocument(case: CaseID("REG-2026-edu1-0001")!, sequence: 2, action: .initialForward, at: Timestamp(at)!,
                                    actor: clerk.publicKey.fingerprint, previous: "sha256:x", data: .forward(.init()))
        return StepEvidence(path: "cases/2026/edu1/REG-2026-edu1-0001/steps/0002-initial.forward.yaml", document: document,
                            digest: "sha256:y", signature: .missing)
    }

    /// Every rule of every list has an id of its own (one rule, one id); the ids it may
    /// return besides are declared with it, and RuleIndex lists them all.
    @Test func everyRuleHasItsOwnIDAndDeclaresTheRest() {
        let rules = StructureRules.all
        let primary = rules.map(\.id)
        #expect(Set(primary).count == primary.count, "two rules share an id: \(primary.sorted())")
        for rule in rules {
            #expect(!rule.also.contains(rule.id), "\(rule.id) lists itself again")
            #expect(rule.ids.allSatisfy { RuleIndex.ids.contains($0) }, "\(rule.id): \(rule.ids) not all in RuleIndex")
        }
        // The rules that once spoke under another id are rules of their own.
        #expect(primary.contains("S-SIGNER") && primary.contains("S-SIGNATURE") && primary.contains("S-REPLAY"))
        #expect(!primary.contains("P8-MUST-TERMINATE"))
    }

    @Test func theSignatureAndTheSignerAreTwoRules() throws {
        let keys = try PolicyKeys(policy)
        let context = RuleContext(jurisdiction: "edu", policy: policy, keys: keys, now: received)
        let signed = step(at: "2026-03-10T09:00:00+08:00")
        let commit = CommitEvidence(id: String(repeating: "a", count: 40), parentCount: 1, changes: [], trailers: [],
                                    committerName: "edu1", committerEmail: "edu1@edu.webjcase", signature: .missing)
        // Signed by the node, not by the actor: the envelope verifies (S-SIGNATURE says
        // nothing), the signer is wrong (S-SIGNER).
        let byNode = CommitInput(commit: commit, state: nil, opensCase: false,
                                 step: StepEvidence(path: signed.path, document: signed.document, digest: signed.digest,
                                                    signature: .verified(try verified(node))))
        #expect(StructureRules.stepSignature.findings(byNode, context).isEmpty)
        #expect(StructureRules.stepSigner.findings(byNode, context).map(\.rule) == ["S-SIGNER"])
        // No envelope: S-SIGNATURE only.
        let unsigned = CommitInput(commit: commit, state: nil, opensCase: false, step: signed)
        #expect(StructureRules.stepSignature.findings(unsigned, context).map(\.rule) == ["S-SIGNATURE"])
        #expect(StructureRules.stepSigner.findings(unsigned, context).isEmpty)
    }

    @Test func receiptsBoundClaimsFromAboveAndRecordLongDelays() {
        let tolerance: TimeInterval = 300
        let late = step(at: "2026-03-10T10:10:00+08:00")
        #expect(HistoryRules.receiptClaim(late, received: received, tolerance: tolerance)?.rule == "S-RECEIPT-CLAIM")
        #expect(HistoryRules.receiptDelay(late, received: received, tolerance: tolerance) == nil)
        let withinTolerance = step(at: "2026-03-10T10:04:00+08:00")
        #expect(HistoryRules.receiptClaim(withinTolerance, received: received, tolerance: tolerance) == nil)
        let early = step(at: "2026-03-06T10:00:00+08:00")
        #expect(HistoryRules.receiptClaim(early, received: received, tolerance: tolerance) == nil)
        #expect(HistoryRules.receiptDelay(early, received: received, tolerance: tolerance)?.severity == .record)
        let threeDays = step(at: "2026-03-07T10:00:00+08:00")
        #expect(HistoryRules.receiptDelay(threeDays, received: received, tolerance: tolerance) == nil)
    }

    @Test func aRevokedKeyCountsOnlyUnderAnEarlierReceipt() throws {
        let identity = try #require(policy.identities.first { $0.name == "chen" })
        let revoked = try #require(identity.revoked)
        #expect(HistoryRules.revocation(identity, revoked, received: Timestamp("2026-03-04T00:00:00+08:00")!.date, path: "p") == nil)
        #expect(HistoryRules.revocation(identity, revoked, received: received, path: "p")?.severity == .refuse)
        #expect(HistoryRules.revocation(identity, revoked, received: nil, path: "p")?.severity == .record)
    }

    @Test func aReceiptSaysEachThingWrongWithIt() {
        func rules(_ evidence: ReceiptEvidence) -> [String] { HistoryRules.receipt(evidence).map { $0.message.parts["problem"]?.id.rawValue ?? "?" } }
        let good = ReceiptEvidence(commit: "c", readable: true, chained: true, hubSigned: true, onMain: true)
        #expect(HistoryRules.receipt(good).isEmpty)
        #expect(rules(ReceiptEvidence(commit: "c", readable: false, chained: true, hubSigned: true, onMain: true)) == [MessageID.problemReceiptUnreadable.rawValue])
        let all = HistoryRules.receipt(ReceiptEvidence(commit: "c", readable: true, chained: false, hubSigned: false, onMain: false))
        #expect(all.map(\.rule) == ["S-RECEIPT", "S-RECEIPT", "S-RECEIPT"])
        #expect(all.compactMap { $0.message.parts["problem"]?.id } == [.problemReceiptChain, .problemReceiptSigner, .problemReceiptHistory])
    }

    @Test func aPushMovesMainForwardOnly() {
        let main = "refs/heads/main"
        #expect(PushRules.refUpdate(ref: main, main: main, deletes: false, fastForward: true) == nil)
        #expect(PushRules.refUpdate(ref: main, main: main, deletes: false, fastForward: nil) == nil)
        #expect(PushRules.refUpdate(ref: "refs/heads/other", main: main, deletes: false, fastForward: nil)?.message.id == .ruleRefNotMain)
        #expect(PushRules.refUpdate(ref: main, main: main, deletes: true, fastForward: nil)?.message.id == .ruleRefDeletion)
        #expect(PushRules.refUpdate(ref: main, main: main, deletes: false, fastForward: false)?.message.id == .ruleNonFastForward)
        #expect(PushRules.pusher("edu1", policy: policy, jurisdiction: "edu") == nil)
        #expect(PushRules.pusher("chen", policy: policy, jurisdiction: "edu")?.rule == "S-PUSHER")
        #expect(PushRules.pusher("edu1", policy: policy, jurisdiction: "social")?.rule == "S-PUSHER")
    }

    @Test func aPersonalStoreCommitIsTheNodesOwn() throws {
        let keys = try PolicyKeys(policy)
        let node = (name: "edu1", email: "edu1@personal.webjcase")
        func signer(_ signature: SignatureCheck, pusher: String? = "edu1", people: [(name: String, email: String)]? = nil) -> MessageID? {
            PersonalStoreRules.signer(commit: "c", signature: signature, keys: keys, jurisdiction: "edu", pusher: pusher,
                                      people: people ?? [node, node])?.message.id
        }
        #expect(signer(.verified(try verified(self.node))) == nil)
        #expect(signer(.missing) == .personalCommitUnsigned)
        #expect(signer(.failed(Message(.signatureMalformed, [:]))) == .personalCommitBadSignature)
        #expect(signer(.verified(try verified(clerk))) == .personalCommitSigner)
        #expect(signer(.verified(try verified(self.node)), pusher: "soc1") == .personalCommitNotPusher)
        #expect(signer(.verified(try verified(self.node)), people: [node, ("edu1", "x@y")]) == .personalCommitter)
    }

    @Test func aPersonalStoreHoldsOnlyItsLayoutAndKeepsWhatItHolds() {
        let hex = String(repeating: "ab", count: 32)
        #expect(PersonalStoreRules.isShard("ab") && !PersonalStoreRules.isShard("AB") && !PersonalStoreRules.isShard("abc"))
        #expect(PersonalStoreRules.isEntryName(hex + ".yaml", shard: "ab"))
        #expect(!PersonalStoreRules.isEntryName(hex + ".yaml", shard: "cd"))
        #expect(!PersonalStoreRules.isEntryName(hex + ".yml", shard: "ab"))
        #expect(PersonalStoreRules.refUpdate(ref: "refs/heads/main", storeRef: "refs/heads/main", deletes: false, fastForward: false)?.rule
                == "S-PERSONAL-HISTORY")
        #expect(PersonalStoreRules.parents(commit: "c", parents: ["a", "b"], expected: ["a"])?.rule == "S-PERSONAL-HISTORY")
        #expect(PersonalStoreRules.parents(commit: "c", parents: ["a"], expected: ["a"]) == nil)
        #expect(PersonalStoreRules.entrySize(path: "p", size: 65, limit: 64)?.rule == "S-PERSONAL-SIZE")
        #expect(PersonalStoreRules.entrySize(path: "p", size: 64, limit: 64) == nil)
        #expect(PersonalStoreRules.deletedValue(path: "p", commitment: "sha256:1", deleted: ["sha256:1"])?.rule == "S-PERSONAL-DELETED")
        #expect(PersonalStoreRules.deletedValue(path: "p", commitment: nil, deleted: ["sha256:1"]) == nil)
        #expect(PersonalStoreRules.entry(path: "p", kind: "personal", opens: true, ownPath: "p") == nil)
        #expect(PersonalStoreRules.entry(path: "p", kind: "personal", opens: true, ownPath: "q")?.rule == "S-PERSONAL")
        #expect(PersonalStoreRules.entry(path: "p", kind: nil, opens: false, ownPath: nil)?.rule == "S-PERSONAL")
    }

    @Test func aRevocationListThatDoesNotReadIsADocumentProblemNotAnIssuerOne() {
        let authorities = TrustAuthorities(rootsPEM: [], issuingPEM: [])
        let junk = Data("not a CRL".utf8)
        #expect(TrustFileRules.crlUnreadable("trust/crl/x.crl", bytes: junk, authorities)?.rule == "A-DOCUMENT")
        #expect(TrustFileRules.crlIssuer("trust/crl/x.crl", bytes: junk, authorities) == nil)
        #expect(TrustFileRules.crlRollback("trust/crl/x.crl", bytes: junk, previous: Data("old".utf8)) == nil)
        #expect(TrustFileRules.crl("trust/crl/x.crl", bytes: junk, previous: nil, authorities)?.rule == "A-DOCUMENT")
    }
}
