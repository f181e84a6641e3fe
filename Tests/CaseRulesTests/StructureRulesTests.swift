import Foundation
import Testing
import CaseModel
import CaseSigning
@testable import CaseRules
import TestSupport

/// The structure rules on synthetic commits: each case breaks exactly one rule.
@Suite struct StructureRulesTests {
    let node = SigningKey.generate()
    let otherNode = SigningKey.generate()
    let clerk = SigningKey.generate()
    let socialClerk = SigningKey.generate()
    let retired = SigningKey.generate()
    let compromised = SigningKey.generate()
    let caseID = CaseID("REG-2026-edu1-0001")!
    let now = Timestamp("2026-03-02T10:00:00+08:00")!

    var policy: Policy {
        Policy(version: 1, mode: .test, identities: [
            .init(name: "edu1", key: node.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "edu"),
            .init(name: "soc1", key: otherNode.publicKey.authorizedKeysLine(comment: nil), roles: [.agencyNode], jurisdiction: "social"),
            .init(name: "chen", key: clerk.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk, .admin], jurisdiction: "edu"),
            .init(name: "lee", key: socialClerk.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk], jurisdiction: "social"),
            .init(name: "old", key: retired.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk], jurisdiction: "edu",
                  validUntil: Timestamp("2026-03-01T00:00:00+08:00")),
            .init(name: "lost", key: compromised.publicKey.authorizedKeysLine(comment: nil), roles: [.clerk], jurisdiction: "edu",
                  revoked: .init(at: Timestamp("2026-03-02T09:00:00+08:00")!, reason: "card lost")),
        ], threshold: 1)
    }

    var context: RuleContext {
        RuleContext(jurisdiction: "edu", policy: policy, keys: try! PolicyKeys(policy), now: now.date)
    }

    /// A signature that really verified, the only way to get a `VerifiedSignature`.
    func verified(_ key: SigningKey) throws -> VerifiedSignature {
        let envelope = try SignatureEnvelope.sign(document: Data("x".utf8), payloadType: "t", key: key)
        return try envelope.verify(document: Data("x".utf8), payloadType: "t", keys: [key.publicKey.fingerprint: key.publicKey])[0]
    }

    var directory: String { caseID.directory }

    func state(last: StepDocument?) -> CaseState {
        CaseState(caseFile: CaseFile(id: caseID, organization: "12345678", jurisdiction: "edu", node: "edu1"),
                  directory: directory, lastStep: last, lastDigest: "sha256:prev",
                  paths: [directory + "/case.yaml", directory + "/steps/0001-open.yaml", directory + "/attachments/scan.pdf"])
    }

    func step(_ sequence: Int, _ action: Action, at: Timestamp? = nil, previous: String = "sha256:prev",
              actor: SigningKey? = nil, attachments: [AttachmentReference] = []) -> StepDocument {
        StepDocument(case: caseID, sequence: sequence, action: action, at: at ?? now,
                     actor: (actor ?? clerk).publicKey.fingerprint, previous: previous,
                     data: action == .open ? .open(.init(subject: "s")) : .forward(.init()), attachments: attachments)
    }

    func added(_ path: String, mode: UInt32 = 0o100644, size: Int = 10, type: String? = "pdf") -> ChangedFile {
        ChangedFile(path: path, status: .added, mode: mode, oldMode: nil, size: size, sha256: "aa", contentType: type)
    }

    /// A good `initial.forward` commit after an `open`, with overrides.
    func input(step document: StepDocument? = nil, changes: [ChangedFile]? = nil, parents: Int = 1,
               commitSigner: SigningKey? = nil, committer: String = "edu1", trailers: [(String, String)]? = nil,
               signature: SignatureCheck? = nil, last: StepDocument? = nil) throws -> CommitInput {
        let document = document ?? step(2, .initialForward)
        let path = "\(directory)/steps/\(document.fileName)"
        let commit = CommitEvidence(
            id: String(repeating: "a", count: 40), parentCount: parents,
            changes: changes ?? [added(path), added(path + ".sig")],
            trailers: (trailers ?? [("Case", caseID.description), ("Action", document.action.rawValue),
                                    ("Actor", "chen <\(document.actor)>")]).map { (key: $0.0, value: $0.1) },
            committerName: committer, committerEmail: "\(committer)@edu.webjcase", committerTime: now.date,
            signature: .verified(try verified(commitSigner ?? node)))
        let signer = [clerk, socialClerk, retired, compromised, node].first { $0.publicKey.fingerprint == document.actor } ?? node
        let evidence = StepEvidence(path: path, document: document, digest: "sha256:new",
                                    signature: try signature ?? .verified(verified(signer)))
        return CommitInput(commit: commit, state: state(last: last ?? step(1, .open, at: Timestamp("2026-03-01T10:00:00+08:00"))),
                           opensCase: false, step: evidence)
    }

    /// The structure, signature and authority findings (the workflow rules, P…, have
    /// their own tests: these synthetic steps need not follow the workflow).
    func rules(_ input: CommitInput, _ context: RuleContext? = nil) -> [String] {
        let rules = StructureRules.common + (input.isAdministrative ? AdministrativeRules.all : StructureRules.step)
        let findings = rules.flatMap { $0.findings(input, context ?? self.context) }
        return (findings.refusals + findings.filter { $0.severity == .record }).map(\.rule)
    }

    /// A case may name its organization's XCA OID beside the id on its letters: an OID, not the organization itself.
    @Test func theXCAOIDOfACaseIsAnotherOIDOfItsOrganization() throws {
        let base = try input()
        func findings(organization: String, xcaOID: String?) throws -> [Finding] {
            let file = CaseFile(id: caseID, organization: organization, jurisdiction: "edu", node: "edu1", xcaOID: xcaOID)
            let state = CaseState(caseFile: file, directory: directory, lastStep: nil, lastDigest: "sha256:prev",
                                  paths: [directory + "/case.yaml", directory + "/steps/0001-open.yaml"])
            let opened = CommitInput(commit: base.commit, state: state, opensCase: true, step: base.step)
            return StructureRules.caseFile.check(opened, context).filter { $0.message.id == .caseBadXCAOID || $0.message.id == .caseBadOrganization }
        }
        #expect(try findings(organization: "12345678", xcaOID: nil).isEmpty)
        #expect(try findings(organization: "12345678", xcaOID: "2.16.886.111.100001.1.2").isEmpty)
        #expect(try findings(organization: "2.16.886.111.100001.1.2", xcaOID: nil).isEmpty, "the OID alone names the organization")
        for (organization, oid) in [("12345678", "87654321"), ("12345678", "2.016.886"), ("12345678", "AB-1"),
                                    ("2.16.886.111.100001.1.2", "2.16.886.111.100001.1.2")] {
            let refused = try findings(organization: organization, xcaOID: oid)
            #expect(refused.map(\.rule) == ["S-CASE-FILE"], "\(organization) \(oid)")
            #expect(refused.first?.message.id == .caseBadXCAOID, "\(organization) \(oid)")
        }
        #expect(try findings(organization: "2.016.886", xcaOID: nil).map(\.message.id) == [.caseBadOrganization])
    }

    @Test func aGoodStepHasNoFindings() throws {
        #expect(rules(try input()) == [])
    }

    @Test func theCommitTimeAgreesWithTheClockTheParentAndTheStep() throws {
        let late = RuleContext(jurisdiction: "edu", policy: policy, keys: try PolicyKeys(policy), now: now.date.addingTimeInterval(3600))
        #expect(rules(try input(), late) == ["S-COMMIT-TIME"], "an hour off the validator's clock")
        var input = try input()
        var commit = input.commit
        commit.parentTime = now.date.addingTimeInterval(600)
        input = CommitInput(commit: commit, state: input.state, opensCase: input.opensCase, step: input.step)
        #expect(rules(input) == ["S-COMMIT-TIME"], "before its parent")
        #expect(rules(try self.input()) == [])
    }

    @Test func mergeCommitsAreRefused() throws {
        #expect(rules(try input(parents: 2)) == ["S-MERGE"])
    }

    @Test func commitsMustBeSignedByANodeOfThisJurisdiction() throws {
        #expect(rules(try input(commitSigner: clerk, committer: "chen")) == ["S-COMMIT-SIGNATURE"])
        #expect(rules(try input(commitSigner: otherNode, committer: "soc1")) == ["S-COMMIT-SIGNATURE"])
        #expect(rules(try input(committer: "someone")) == ["S-COMMITTER"])
    }

    @Test func pathsModesAndAppendOnly() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        #expect(rules(try input(changes: [added(path), added(path + ".sig"), added("notes.txt")])) == ["S-PATH"])
        #expect(rules(try input(changes: [added(path), added(path + ".sig", mode: 0o120000)])) == ["S-MODE"])
        #expect(rules(try input(changes: [added(path), added(path + ".sig"), added("calendar/2026.yaml")])) == ["A-SEPARATE", "A-SEPARATE"],
                "a step and a protected file in one commit")
        let modified = ChangedFile(path: directory + "/case.yaml", status: .modified, mode: 0o100644, oldMode: 0o100644, size: 1, sha256: "b")
        #expect(rules(try input(changes: [added(path), added(path + ".sig"), modified])) == ["S-APPEND"])
    }

    @Test func oneStepOfOneCasePerCommit() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        let other = "cases/2026/edu1/REG-2026-edu1-0002/steps/0002-submit.yaml"
        #expect(rules(try input(changes: [added(path), added(path + ".sig"), added(other)])) == ["S-ONE-STEP"])
    }

    @Test func namesThatDifferOnlyInCaseCollide() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        let document = step(2, .initialForward, attachments: [AttachmentReference(name: "Scan.pdf", sha256: "aa", size: 10)])
        #expect(rules(try input(step: document, changes: [added(path), added(path + ".sig"), added(directory + "/attachments/Scan.pdf")])) == ["S-NAME"])
    }

    /// Swift's `==` takes NFC and NFD spellings of a string as equal; the rule compares bytes.
    @Test func namesThatDifferOnlyInUnicodeNormalizationCollide() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        let nfc = directory + "/attachments/caf\u{E9}.pdf", nfd = directory + "/attachments/cafe\u{301}.pdf"
        #expect(nfc == nfd && !nfc.utf8.elementsEqual(nfd.utf8))
        let found = rules(try input(changes: [added(path), added(path + ".sig"), added(nfc), added(nfd)]))
        #expect(found.contains("S-NAME"), "\(found)")
    }

    /// Two names are the same when they fold to the same text: the byte-wise comparison of
    /// ASCII names must agree with folding on every pair, letters or not.
    @Test func sameNameIsFoldingCompared() {
        let names = ["a", "A", "ab", "aB", "Ab", "@", "`", "[", "{", "Z", "z", "^", "~", "scan.pdf", "Scan.PDF", "scan.pdg",
                     "caf\u{E9}.pdf", "cafe\u{301}.pdf", "CAF\u{C9}.PDF", "\u{212A}", "k", "K", "\u{130}", "i", "stra\u{DF}e", "strasse", ""]
        for a in names {
            for b in names {
                #expect(StructureRules.sameName(a, b) == (StructureRules.folded(a) == StructureRules.folded(b)), "\(a) \(b)")
            }
        }
    }

    @Test func sequencePreviousAndTime() throws {
        #expect(rules(try input(step: step(3, .initialForward))).contains("S-SEQUENCE"))
        #expect(rules(try input(step: step(2, .initialForward, previous: "sha256:other"))) == ["S-PREVIOUS"])
        #expect(rules(try input(step: step(2, .initialForward, at: Timestamp("2026-02-01T10:00:00+08:00")))) == ["S-TIME-ORDER"])
        // Claimed after now, and after the commit that records it.
        #expect(rules(try input(step: step(2, .initialForward, at: Timestamp("2026-03-02T10:06:00+08:00")))) == ["S-COMMIT-TIME", "S-TIME-FUTURE"])
        #expect(rules(try input(step: step(2, .initialForward, at: Timestamp("2026-03-02T10:04:00+08:00")))) == [], "within the tolerance")
    }

    @Test func openComesFirstAndOnlyFirst() throws {
        #expect(rules(try input(step: step(2, .open))).contains("S-OPEN"))
    }

    @Test func nothingFollowsAFinalStep() throws {
        let rejected = step(1, .initialReject, at: Timestamp("2026-03-01T10:00:00+08:00"))
        #expect(rules(try input(last: rejected)) == ["S-FINAL"])
    }

    @Test func theActorSignsTheirOwnStep() throws {
        let document = step(2, .initialForward, actor: clerk)
        let byNode = try input(step: document, signature: .verified(verified(node)))
        #expect(rules(byNode) == ["S-SIGNER"])
        let nodeAsActor = step(2, .initialForward, actor: node)
        #expect(rules(try input(step: nodeAsActor, signature: .verified(verified(node)))) == ["S-SIGNER"], "nodes sign commits, not steps")
        #expect(rules(try input(signature: .missing)) == ["S-SIGNATURE"])
    }

    @Test func attachmentsMustBeListedAndPresent() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        #expect(rules(try input(changes: [added(path), added(path + ".sig"), added(directory + "/attachments/extra.pdf")])) == ["S-ATTACHMENT"])
        let listed = step(2, .initialForward, attachments: [AttachmentReference(name: "missing.pdf", sha256: "aa", size: 10)])
        #expect(rules(try input(step: listed)) == ["S-ATTACHMENT"])
        let wrongDigest = step(2, .initialForward, attachments: [AttachmentReference(name: "new.pdf", sha256: "bb", size: 10)])
        #expect(rules(try input(step: wrongDigest, changes: [added(path), added(path + ".sig"), added(directory + "/attachments/new.pdf")])) == ["S-ATTACHMENT"])
    }

    @Test func trailersMustMatchTheStep() throws {
        let actor = ("Actor", "chen <\(clerk.publicKey.fingerprint)>")
        #expect(rules(try input(trailers: [("Case", caseID.description), ("Action", "secondary.approve"), actor])) == ["S-TRAILERS"])
        #expect(rules(try input(trailers: [("Case", caseID.description), ("Action", "initial.forward")])) == ["S-TRAILERS"])
    }

    @Test func aStepCommitAddsNothingElse() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        let extras = [added(directory + "/documents/note.yaml"), added(directory + "/steps/0009-submit.yaml.sig")]
        #expect(rules(try input(changes: [added(path), added(path + ".sig")] + extras)) == ["S-STEP-FILES", "S-STEP-FILES"])
    }

    @Test func aCommitWithoutAStepIsRefused() throws {
        #expect(rules(try input(changes: [added(directory + "/attachments/extra.pdf")])).contains("S-ONE-STEP"))
    }

    @Test func theStepHeaderNamesItsKindAndFormat() throws {
        var document = step(2, .initialForward)
        document.kind = "banana"
        document.format = 7
        #expect(rules(try input(step: document)) == ["S-HEADER", "S-HEADER"])
    }

    @Test func signersActOnlyInTheirJurisdictionAndWhileValid() throws {
        #expect(rules(try input(step: step(2, .initialForward, actor: socialClerk))) == ["S-SIGNER"])
        #expect(rules(try input(step: step(2, .initialForward, actor: retired))) == ["S-SIGNER"])
    }

    @Test func aRevokedKeySignsNothingAfterItsRevocation() throws {
        let after = try input(step: step(2, .initialForward, actor: compromised))
        let findings = StructureRules.step.flatMap { $0.findings(after, context) }
        #expect(findings.map(\.rule) == ["S-SIGNER"])
        #expect(findings.first?.message.id == .ruleKeyRevoked)
        // A claim of signing before the revocation does not help: no receipt from before it
        // covers a commit made now.
        let backdated = try input(step: step(2, .initialForward, at: Timestamp("2026-03-02T08:00:00+08:00"), actor: compromised))
        #expect(rules(backdated) == ["S-SIGNER"])
        let earlier = RuleContext(jurisdiction: "edu", policy: policy, keys: try PolicyKeys(policy),
                                  now: Timestamp("2026-03-02T08:30:00+08:00")!.date)
        #expect(!rules(backdated, earlier).contains("S-SIGNER"), "judged before the revocation took effect")
    }

    @Test func attachmentsKeepTheRepositoryLimits() throws {
        let path = "\(directory)/steps/0002-initial.forward.yaml"
        let script = step(2, .initialForward, attachments: [AttachmentReference(name: "run.pdf", sha256: "aa", size: 10)])
        #expect(rules(try input(step: script, changes: [added(path), added(path + ".sig"), added(directory + "/attachments/run.pdf", type: nil)])) == ["S-ATTACHMENT"])
        let huge = step(2, .initialForward, attachments: [AttachmentReference(name: "big.pdf", sha256: "aa", size: 30 << 20)])
        #expect(rules(try input(step: huge, changes: [added(path), added(path + ".sig"), added(directory + "/attachments/big.pdf", size: 30 << 20)])) == ["S-ATTACHMENT"])
    }

    @Test func aCaseIsOpenedByTheNodeItsIDNames() throws {
        let open = step(1, .open, previous: "sha256:prev")
        let path = "\(directory)/steps/0001-open.yaml"
        var opening = try input(step: open, changes: [added(directory + "/case.yaml"), added(path), added(path + ".sig")],
                                commitSigner: otherNode, committer: "soc1")
        opening = CommitInput(commit: opening.commit, state: state(last: nil), opensCase: true, step: opening.step)
        // soc1 may not commit here at all, and the id names edu1.
        #expect(rules(opening).contains("S-COMMIT-SIGNATURE"))
        let good = try input(step: open, changes: [added(directory + "/case.yaml"), added(path), added(path + ".sig")])
        #expect(rules(CommitInput(commit: good.commit, state: state(last: nil), opensCase: true, step: good.step)) == [])
        let lastYear = step(1, .open, at: Timestamp("2025-12-31T10:00:00+08:00"))
        let stale = try input(step: lastYear, changes: [added(directory + "/case.yaml"), added(path), added(path + ".sig")])
        #expect(rules(CommitInput(commit: stale.commit, state: state(last: nil), opensCase: true, step: stale.step)) == ["S-CASE-OWNER"])
    }

    /// DESIGN §2: a step holds commitments of personal fields, never the values.
    @Test func personalValuesAreRefusedAndCommitmentsPass() throws {
        func phoneStep(_ contact: PersonalField) -> StepDocument {
            var document = step(2, .phoneConfirmation)
            document.data = .phoneConfirmation(.init(calledAt: now, contact: contact, phone: nil, note: nil))
            return document
        }
        // (The synthetic case is a registration: S-ACTION-KIND says a phone call is not its step.)
        let refused = rules(try input(step: phoneStep(.value("王小明")))).filter { $0 != "S-ACTION-KIND" }
        #expect(refused == ["S-PERSONAL"])
        let passed = rules(try input(step: phoneStep(.commitment("sha256:" + String(repeating: "ab", count: 32))))).filter { $0 != "S-ACTION-KIND" }
        #expect(passed == [])
    }

    @Test func everyRuleHasAStableUniqueID() {
        let ids = StructureRules.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("S-") || $0.hasPrefix("A-") || $0.hasPrefix("P") })
    }
}

extension StructureRulesTests {
    /// S-NAME finds collisions through a table of folded names (one pass, whatever the
    /// number of files: comparing every pair made a commit of thousands of names cost
    /// minutes on a hub). On random commits of names that fold together in many ways, it
    /// names the same paths, each beside the same other name, as comparing every pair does.
    @Test func nameCollisionsAgreeWithComparingEveryPair() throws {
        let stems = ["scan", "Scan", "SCAN", "caf\u{E9}", "cafe\u{301}", "CAF\u{C9}", "\u{212A}", "k", "K", "stra\u{DF}e", "strasse", "a-1", "A-1"]
        var generator = SeededGenerator(seed: 0x5EED_0F_5A4E)
        let step = "\(directory)/steps/0002-initial.forward.yaml"
        for _ in 0..<300 {
            var paths: [String] = []
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                let path = "\(directory)/attachments/\(stems.randomElement(using: &generator)!).\(["pdf", "PDF"].randomElement(using: &generator)!)"
                // A tree holds a name once (as bytes): git would not write it twice.
                if !paths.contains(where: { $0.utf8.elementsEqual(path.utf8) }) { paths.append(path) }
            }
            let changes = [added(step), added(step + ".sig")] + paths.map { added($0) }
            let commit = try input(changes: changes)
            let found = StructureRules.nameCollisions.check(commit, context).map { "\($0.path ?? "") ~ \($0.message.arguments["other"] ?? "")" }
            let names = changes.map(\.path)
            var expected: [String] = []
            for (index, path) in names.enumerated() {
                // The last added path before it of the same name, else the greatest the case holds.
                let other = names[..<index].last(where: { StructureRules.sameName($0, path) })
                    ?? (commit.state?.paths ?? []).filter { StructureRules.sameName($0, path) }.max()
                if let other, !other.utf8.elementsEqual(path.utf8) {
                    expected.append("\(path) ~ \(other)")
                }
            }
            #expect(found == expected, "\(paths)")
        }
    }
}

extension StructureRulesTests {
    /// A claim may move a step in its own case's timeline, never around another case's rule:
    /// a registration claimed an hour before the approval of another registration of the
    /// organization, but reaching the hub after it, is judged as the hub saw the
    /// organization then (active), not as the claim would have it (none).
    @Test func theOrganizationIsJudgedAsTheHubSawItNotAsTheClaimSays() throws {
        let approvedAt = try #require(Timestamp("2026-03-02T09:00:00+08:00"))
        let earlier = try #require(CaseID("REG-2026-edu1-0007"))
        let approved = OrganizationCase(id: earlier, steps: [
            StepDocument(case: earlier, sequence: 1, action: .open, at: try #require(Timestamp("2026-02-20T09:00:00+08:00")),
                         actor: clerk.publicKey.fingerprint, previous: "sha256:prev", data: .open(.init(subject: "s")), attachments: []),
            StepDocument(case: earlier, sequence: 2, action: .secondaryApprove, at: approvedAt,
                         actor: clerk.publicKey.fingerprint, previous: "sha256:prev", data: .approve(.init()), attachments: []),
        ])
        let opening = step(1, .open, at: try #require(Timestamp("2026-03-02T08:00:00+08:00")))
        let base = try input(step: opening)
        var opened = CommitInput(commit: base.commit, state: base.state, opensCase: true, step: base.step)
        opened.organization = [approved]
        let check = { (context: RuleContext) in OrganizationRules.status.check(opened, context).map(\.rule) }
        var claimOnly = context
        claimOnly.viewTime = nil
        #expect(check(claimOnly) == [], "by the claim alone the organization was not active yet")
        var received = context
        received.viewTime = approvedAt.date.addingTimeInterval(3_600)
        #expect(check(received) == ["P5-STATUS"], "the hub received it after the approval")
    }
}

extension StructureRulesTests {
    /// A decision in another case that the hub had received counts from then at the latest,
    /// whatever it claims: an approval claimed four minutes ahead of the hub's clock (within
    /// the tolerance) made the organization active for a registration received meanwhile.
    @Test func aDecisionClaimedAheadCountsOnceTheHubHasIt() throws {
        let received = now.date
        let earlier = try #require(CaseID("REG-2026-edu1-0007"))
        let approved = OrganizationCase(id: earlier, steps: [
            StepDocument(case: earlier, sequence: 2, action: .secondaryApprove, at: Timestamp(received.addingTimeInterval(240)),
                         actor: clerk.publicKey.fingerprint, previous: "sha256:prev", data: .approve(.init()), attachments: []),
        ])
        let base = try input(step: step(1, .open, at: now))
        var opened = CommitInput(commit: base.commit, state: base.state, opensCase: true, step: base.step)
        opened.organization = [approved]
        var live = context
        live.viewTime = received
        #expect(OrganizationRules.status.check(opened, live).map(\.rule) == ["P5-STATUS"])
        #expect(OrganizationHistory.status([approved], at: received) == .none, "by the claims alone")
        #expect(OrganizationHistory.status([approved], at: received, received: received) == .active)
    }
}
