import Foundation
import Testing
import CaseModel
import CaseYAML
@testable import CaseSigning
import TestSupport
@testable import CaseStore

private let scenariosDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios")

/// Runs every scenario of Tests/Scenarios (see its README) through the validator.
@Suite struct ScenarioTests {
    struct Scenario: Decodable {
        let description: String
        /// The sentences of the seed the scenario proves, verbatim (for a rule of DESIGN.md,
        /// the seed's closest clause).
        let quote: [String]
        let steps: [Step]
    }

    struct Step: Decodable {
        struct Open: Decodable {
            let kind: CaseKind
            let org: String
        }
        let at: Timestamp
        let open: Open?
        let action: String?
        let `case`: Int?
        let signer: String
        let data: String
        /// The node that commits (default `edu1`; `centre` for the Centre's cases).
        let node: String?
        /// Annexes received on paper: the runner scans one PDF per annex, attaches it and
        /// lists it under `documents:` of the submit, correct or improvement report data.
        let annexes: [Int]?
        /// Attach again the scans made at this step (1-based), to replay them.
        let reuse: Int?
        /// An applicant's signed form under `documents/` (see ``Document``).
        let document: Document?
        let expect: String
        let rule: String?
        /// For an accepted step: the rules that must record a finding (severity record).
        let findings: [String]?
    }

    /// A form as an applicant's software writes it: Annex 1 naming `org` (default the case's
    /// organization), its personal fields as commitments, signed at `signedAt` (default an
    /// hour before the step) with a certificate of the scenario's test PKI, as an envelope
    /// (`FILE.sig`) or a detached CMS signature (`FILE.p7s`); the step lists it as `annex`.
    struct Document: Decodable {
        let annex: Int
        let org: String?
        /// `envelope` (default) or `cms`.
        let form: String?
        /// `own` (default): the organization's XCA certificate; `other`: another
        /// organization's; `not-yet-valid`: the organization's, valid only from the day after
        /// `signedAt`; `revoked`: the organization's, revoked in the XCA's list before the
        /// scenario begins; `staff`: a staff CA's certificate, not the XCA's.
        let certificate: String?
        let signedAt: Timestamp?
    }

    /// The organizations the test PKI issues certificates for, besides those the scenario opens cases of.
    static let pkiOrganizations = ["12345678", "87654321"]

    static let names: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: scenariosDirectory.path)) ?? [])
            .filter { !$0.hasPrefix("_") && FileManager.default.fileExists(atPath: scenariosDirectory.appendingPathComponent("\($0)/scenario.yaml").path) }
            .sorted()
    }()

    static let cast: [(name: String, roles: [Role], jurisdiction: String?)] = [
        ("edu1", [.agencyNode], "edu"), ("centre", [.centreNode], nil), ("chen.clerk", [.clerk], "edu"),
        ("wu.clerk", [.clerk], nil), ("wang.reviewer", [.authorityReviewer], "edu"),
        ("hsu.reviewer", [.authorityReviewer], "social"), ("lee.centre", [.centreReviewer], nil),
        ("kao.staff", [.centreStaff], nil), ("liu.staff", [.centreStaff], nil), ("lin.admin", [.admin], nil),
    ]

    @Test func thereAreScenarios() {
        #expect(Self.names.count >= 6)
    }

    @Test(arguments: ScenarioTests.names)
    func scenario(_ name: String) throws {
        let directory = scenariosDirectory.appendingPathComponent(name)
        let scenario = try StrictYAML.decode(Scenario.self, contentsOf: directory.appendingPathComponent("scenario.yaml").path)
        let work = try TemporaryDirectory("scenario")
        var keys: [String: SigningKey] = [:]
        var policy = "kind: \"policy\"\nversion: 1\nmode: \"test\"\nthreshold: 1\nidentities:\n"
        for member in Self.cast {
            let key = SigningKey.generate()
            keys[member.name] = key
            policy += "  - {name: \"\(member.name)\", key: \"\(key.publicKey.authorizedKeysLine(comment: nil))\", "
                + "roles: [\(member.roles.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]"
                + (member.jurisdiction.map { ", jurisdiction: \"\($0)\"" } ?? "") + "}\n"
        }
        try work.write("policy.yaml", policy)
        for node in ["edu1", "centre"] {
            _ = FileManager.default.createFile(atPath: work.file(node), contents: Data(keys[node]!.openSSHPrivateKey(comment: node).utf8),
                                               attributes: [.posixPermissions: 0o600])
        }
        let first = FixedClock(scenario.steps.first?.at.date ?? Date())
        let made = try CaseRepository.initialize(
            InitOptions(directory: work.file("edu.git"), jurisdiction: "edu", name: "教育局", node: "edu1",
                        policyFile: work.file("policy.yaml"), keyPath: work.file("edu1"), bare: true, binary: "/bin/false"),
            clock: first)
        let repository = try CaseRepository(path: made.path)
        var cases: [CaseID] = []
        var organizations: [String] = []
        let pki = try scenario.steps.contains { $0.document != nil } ? trustTestPKI(scenario, repository: repository, work: work,
                                                                                     admin: keys["lin.admin"]!, clock: first) : nil
        var scans: [Int: [(annex: Int, path: String)]] = [:]
        for (index, step) in scenario.steps.enumerated() {
            let label = "\(name) step \(index + 1)"
            let clock = FixedClock(step.at.date)
            let node = step.node ?? "edu1"
            try repository.git.setConfig("webjcase.node", node)
            try repository.git.setConfig("webjcase.key", work.file(node))
            var attachments: [(annex: Int, path: String)] = []
            if let reuse = step.reuse {
                // The same bytes under a new name: a replayed document.
                for (annex, original) in try #require(scans[reuse], "\(label): step \(reuse) made no scans") {
                    let path = work.file("scan-\(index + 1)-replay-annex-\(annex).pdf")
                    try FileManager.default.copyItem(atPath: original, toPath: path)
                    attachments.append((annex, path))
                }
            } else {
                for annex in step.annexes ?? [] {
                    let path = work.file("scan-\(index + 1)-annex-\(annex).pdf")
                    try Data("%PDF-1.4\n% \(name): annex \(annex) received at step \(index + 1)\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: path))
                    attachments.append((annex, path))
                }
            }
            scans[index + 1] = attachments
            var documents: [(annex: Int, path: String)] = []
            if let document = step.document {
                let opened = organizations.indices.contains((step.case ?? 1) - 1) ? organizations[(step.case ?? 1) - 1] : nil
                let organization = try #require(document.org ?? opened, "\(label): no such case")
                // Named after its step: a case keeps every form it received.
                let path = try writeForm(document, organization: organization, at: step.at, pki: try #require(pki),
                                         path: work.file("annex-\(document.annex)-step-\(index + 1).yaml"), label: label)
                documents.append((document.annex, path))
            }
            let signer = StepSigner(try #require(keys[step.signer], "\(label): unknown signer \(step.signer)"))
            let dataFile = [directory.appendingPathComponent(step.data), scenariosDirectory.appendingPathComponent("_data/\(step.data)")]
                .first { FileManager.default.fileExists(atPath: $0.path) }
            let dataPath = try #require(dataFile, "\(label): no data file \(step.data)").path
            var refusedWith: [String]?
            var recorded: [String] = []
            do {
                if let open = step.open {
                    guard case .open(let data) = try decodeData(.open, dataPath) else { continue }
                    cases.append(try repository.exclusively("test") { lock in try repository.openCase(kind: open.kind, organization: open.org, data: data, key: signer, clock: clock, lock: lock) }.caseID)
                    organizations.append(open.org)
                } else {
                    let action = try #require(Action(rawValue: step.action ?? ""), "\(label): unknown action")
                    let caseID = try #require(cases.indices.contains((step.case ?? 1) - 1) ? cases[(step.case ?? 1) - 1] : nil, "\(label): no such case")
                    var data = try decodeData(action, dataPath)
                    switch data {
                    case .submit(var submit), .correct(var submit):
                        if !attachments.isEmpty || !documents.isEmpty {
                            submit.documents = attachments.map {
                                ReceivedDocument(annex: $0.annex, file: "attachments/" + ($0.path as NSString).lastPathComponent)
                            } + documents.map {
                                ReceivedDocument(annex: $0.annex, file: "documents/" + ($0.path as NSString).lastPathComponent)
                            }
                            data = action == .correct ? .correct(submit) : .submit(submit)
                        }
                    case .report(var report):
                        // The user's completed Annex 8 and its evidence, as scans.
                        if !attachments.isEmpty {
                            report.documents = attachments.map {
                                ReceivedDocument(annex: $0.annex, file: "attachments/" + ($0.path as NSString).lastPathComponent)
                            }
                            data = .report(report)
                        }
                    default:
                        #expect(documents.isEmpty, "\(label): `document:` goes with a submit or correct step")
                    }
                    recorded = try repository.exclusively("test") { lock in
                        try repository.recordStep(caseID: caseID, action: action, data: data, attachments: attachments.map(\.path),
                                                  documents: documents.map(\.path), key: signer, clock: clock, lock: lock)
                    }.findings.map(\.rule)
                }
            } catch let violation as RuleViolation {
                refusedWith = violation.findings.refusals.map(\.rule)
            }
            switch step.expect {
            case "accepted":
                #expect(refusedWith == nil, "\(label): expected accepted, refused with \(refusedWith ?? [])")
                #expect(Set(recorded) == Set(step.findings ?? []), "\(label): expected findings \(step.findings ?? []), recorded \(recorded)")
            case "refused":
                let rule = try #require(step.rule, "\(label): a refusal names its rule")
                #expect(refusedWith?.contains(rule) == true, "\(label): expected refused by \(rule), got \(refusedWith.map { "\($0)" } ?? "accepted")")
            default:
                Issue.record("\(label): expect is accepted or refused, not \(step.expect)")
            }
        }
        let verified = try repository.verifyHistory().verdict.findings
        #expect(verified.refusals.isEmpty, "\(name): the accepted history verifies, not \(verified.refusals)")
        let expected = scenario.steps.filter { $0.expect == "accepted" }.flatMap { $0.findings ?? [] }
        #expect(verified.map(\.rule).sorted() == expected.sorted(), "\(name): verify reports the recorded findings")
    }

    /// Every scenario quotes the seed: each quote is the text of one paragraph or item of its
    /// rules (docs/seed), or a part of it, copied verbatim.
    @Test(arguments: ScenarioTests.names)
    func scenarioQuotesTheSeed(_ name: String) throws {
        let file = scenariosDirectory.appendingPathComponent("\(name)/scenario.yaml").path
        let scenario = try StrictYAML.decode(Scenario.self, contentsOf: file)
        #expect(!scenario.quote.isEmpty, "\(file): `quote:` lists no sentence; add the seed's sentence the scenario proves")
        for quote in scenario.quote {
            #expect(!Seed.places(of: quote).isEmpty,
                    "\(file): 「\(quote)」 is not in one paragraph or item of the seed (docs/seed/\(Seed.fileName)); copy it verbatim")
        }
    }

    /// Every skeleton of `webjcase template` decodes as its action's data.
    @Test(arguments: Action.allCases)
    func templateDecodes(_ action: Action) throws {
        for kind in action == .open ? CaseKind.allCases : [.registration] {
            let value = try StrictYAML.decode(StepData.dataType(for: action), from: Data(DataTemplate.yaml(for: action, kind: kind).utf8),
                                              file: "template \(action.rawValue)")
            #expect(StepData(action: action, value: value) != nil)
        }
    }

    /// A test PKI of the scenario's organizations (and ``pkiOrganizations``) and one staff
    /// member, with a revoked certificate for each organization whose form a step signs with
    /// `revoked`, trusted by the repository as admins and a node add it: the root and the
    /// issuing CAs signed by lin.admin and committed, then the CAs' revocation lists.
    private func trustTestPKI(_ scenario: Scenario, repository: CaseRepository, work: TemporaryDirectory, admin: SigningKey,
                              clock: FixedClock) throws -> TestPKIFixture {
        let directory = work.url.appendingPathComponent("pki")
        let opened = scenario.steps.compactMap(\.open?.org)
        let ids = (Self.pkiOrganizations + opened + scenario.steps.compactMap { $0.document?.org }).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let made = try TestPKI.make(at: directory, organizations: ids.map { TestPKI.Organization(id: $0, name: "Organization \($0)") },
                                    staff: [TestPKI.Staff(name: "staff-signer")])
        // Revoked a day before the scenario begins, in the XCA's list issued then.
        let revokedAt = clock.now().addingTimeInterval(-86_400)
        var revoked: [String: TestPKI.Issued] = [:]
        for step in scenario.steps where step.document?.certificate == "revoked" {
            let id = step.document?.org ?? opened[(step.case ?? 1) - 1]
            if revoked[id] == nil {
                revoked[id] = try TestPKI.issueOrganization(TestPKI.Organization(id: id, name: "Organization \(id)"), stem: "\(id)-revoked",
                                                            validity: .standard, at: directory)
            }
        }
        if !revoked.isEmpty {
            try TestPKI.revokeOrganizations(revoked.values.map { ($0.certificate, revokedAt) }, thisUpdate: revokedAt,
                                            nextUpdate: TestPKI.Validity.standard.notAfter, at: directory)
        }
        try repository.git.setConfig("webjcase.node", "edu1")
        try repository.git.setConfig("webjcase.key", work.file("edu1"))
        let trusted = ["trust/roots/webjcase-test-root.pem", "trust/ca/test-xca.pem", "trust/ca/test-staff-ca.pem"]
        for path in trusted {
            _ = try repository.signProposal(path, from: directory.path, key: admin, clock: clock)
        }
        _ = try repository.exclusively("test") { lock in try repository.commitProposal(trusted, from: directory.path, clock: clock, lock: lock) }
        _ = try repository.exclusively("test") { lock in try repository.commitProposal(["trust/crl/test-xca.crl", "trust/crl/test-staff-ca.crl"], from: directory.path, clock: clock, lock: lock) }
        return TestPKIFixture(directory: directory, made: made, revoked: revoked)
    }

    struct TestPKIFixture {
        let directory: URL
        let made: TestPKI.Output
        let revoked: [String: TestPKI.Issued]
    }

    /// Writes the step's form at `path` and signs it as the step says; returns the path.
    private func writeForm(_ document: Document, organization: String, at: Timestamp, pki: TestPKIFixture,
                           path: String, label: String) throws -> String {
        let signedAt = document.signedAt ?? Timestamp(at.date.addingTimeInterval(-3600))
        let issued: TestPKI.Issued
        switch document.certificate ?? "own" {
        case "own":
            issued = try #require(pki.made.organizations[organization], "\(label): the test PKI has no certificate of \(organization)")
        case "other":
            let other = try #require(Self.pkiOrganizations.first { $0 != organization })
            issued = try #require(pki.made.organizations[other])
        case "not-yet-valid":
            let notBefore = signedAt.date.addingTimeInterval(86_400)
            issued = try TestPKI.issueOrganization(TestPKI.Organization(id: organization, name: "Organization \(organization)"),
                                                   stem: "\(organization)-from-\(Int(notBefore.timeIntervalSince1970))",
                                                   validity: TestPKI.Validity(notBefore: notBefore, notAfter: TestPKI.Validity.standard.notAfter),
                                                   at: pki.directory)
        case "revoked":
            issued = try #require(pki.revoked[organization], "\(label): no revoked certificate of \(organization)")
        case "staff":
            issued = try #require(pki.made.staff["staff-signer"])
        case let other:
            Issue.record("\(label): certificate is own, other, not-yet-valid, revoked or staff, not \(other)")
            throw CancellationError()
        }
        let signer = try StepSigner.load(key: issued.key.path, chain: issued.chain.path)
        let chain = try #require(signer.chain)
        let form = Data(Workspace.annex1(organization: organization, signedAt: signedAt.text, committed: true).utf8)
        try form.write(to: URL(fileURLWithPath: path))
        switch document.form ?? "envelope" {
        case "envelope":
            try SignatureEnvelope.sign(document: form, payloadType: documentPayloadType, signer: signer.signer, chain: chain)
                .encoded().write(to: URL(fileURLWithPath: path + ".sig"))
        case "cms":
            try CMSSignature.sign(document: form, signer: signer.signer, chain: chain, signingTime: signedAt.date)
                .write(to: URL(fileURLWithPath: path + ".p7s"))
        case let other:
            Issue.record("\(label): form is envelope or cms, not \(other)")
            throw CancellationError()
        }
        return path
    }

    private func decodeData(_ action: Action, _ path: String) throws -> StepData {
        let value = try StrictYAML.decode(StepData.dataType(for: action), contentsOf: path)
        return try #require(StepData(action: action, value: value))
    }
}
