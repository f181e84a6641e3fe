import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseSigning
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
        let expect: String
        let rule: String?
        /// For an accepted step: the rules that must record a finding (severity record).
        let findings: [String]?
    }

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
            let signer = StepSigner(try #require(keys[step.signer], "\(label): unknown signer \(step.signer)"))
            let dataFile = [directory.appendingPathComponent(step.data), scenariosDirectory.appendingPathComponent("_data/\(step.data)")]
                .first { FileManager.default.fileExists(atPath: $0.path) }
            let dataPath = try #require(dataFile, "\(label): no data file \(step.data)").path
            var refusedWith: [String]?
            var recorded: [String] = []
            do {
                if let open = step.open {
                    guard case .open(let data) = try decodeData(.open, dataPath) else { continue }
                    cases.append(try repository.openCase(kind: open.kind, organization: open.org, data: data, key: signer, clock: clock).caseID)
                } else {
                    let action = try #require(Action(rawValue: step.action ?? ""), "\(label): unknown action")
                    let caseID = try #require(cases.indices.contains((step.case ?? 1) - 1) ? cases[(step.case ?? 1) - 1] : nil, "\(label): no such case")
                    var data = try decodeData(action, dataPath)
                    switch data {
                    case .submit(var submit), .correct(var submit):
                        if !attachments.isEmpty {
                            submit.documents = attachments.map {
                                ReceivedDocument(annex: $0.annex, file: "attachments/" + ($0.path as NSString).lastPathComponent)
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
                    default: break
                    }
                    recorded = try repository.recordStep(caseID: caseID, action: action, data: data,
                                                         attachments: attachments.map(\.path), key: signer, clock: clock).findings.map(\.rule)
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
        let verified = try repository.validateHistory().findings
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

    private func decodeData(_ action: Action, _ path: String) throws -> StepData {
        let value = try StrictYAML.decode(StepData.dataType(for: action), contentsOf: path)
        return try #require(StepData(action: action, value: value))
    }
}
