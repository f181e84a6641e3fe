import CaseModel
import CaseYAML
import CaseSigning
import CaseStore
import Foundation
import GitKit

/// A synthetic jurisdiction for the scale benchmark: a bare case repository made by the
/// real `init`, then organizations whose cases follow the rules (registration with
/// corrections, changes, pauses, audits, enforcement), every step a real signed document
/// and a real node-signed commit, written through GitKit straight into packs (nothing is
/// judged while writing: `verify` judges it afterwards, which is what is measured).
struct SyntheticJurisdiction {
    struct Options {
        var cases = 10_000
        /// Stop once this many commits are written (after the organization in progress).
        var commits: Int? = nil
        var seed: UInt64 = 20261129
        /// Organizations whose registration carries an Annex 1 signed with an XCA test
        /// certificate (half RSA-2048, half P-256).
        var certifiedOrganizations: Int? = nil
        /// Commits written into memory before they are stored as one pack.
        var commitsPerPack = 8_000
    }

    struct Result {
        var repository: String
        var keys: String
        var commits = 0
        var cases = 0
        var organizations = 0
        var ed25519Signatures = 0
        var certificateSignatures: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        var seconds = 0.0
        var lastCommitTime = Date()
    }

    static let agencyNodes = (1...16).map { "edu\($0)" }
    static let centreNodes = ["centre", "centre2", "centre3", "centre4"]
    static let staff: [(String, String, Bool)] = [
        // name, role, edu jurisdiction
        ("chen.clerk", "clerk", true), ("lin.clerk", "clerk", true), ("wang.reviewer", "authority-reviewer", true),
        ("chang.reviewer", "authority-reviewer", true), ("lee.centre", "centre-reviewer", false), ("ho.centre", "centre-reviewer", false),
        ("kao.staff", "centre-staff", false), ("liu.staff", "centre-staff", false), ("wu.clerk", "clerk", false),
        ("lin.admin", "admin", false), ("hub", "hub", false),
    ]

    let options: Options
    let directory: URL

    func generate(binary: String) throws -> Result {
        let started = Date()
        let manager = FileManager.default
        let keysDirectory = directory.appendingPathComponent("keys")
        try manager.createDirectory(at: keysDirectory, withIntermediateDirectories: true)
        var rng = SplitMix(seed: options.seed)

        // Keys and the policy.
        var keys: [String: SigningKey] = [:]
        var policy = "kind: \"policy\"\nversion: 1\nmode: \"test\"\nthreshold: 1\nidentities:\n"
        func add(_ name: String, _ role: String, jurisdiction: String?) throws {
            let key = SigningKey.generate()
            keys[name] = key
            try Data(key.openSSHPrivateKey(comment: name).utf8).write(to: keysDirectory.appendingPathComponent(name))
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keysDirectory.appendingPathComponent(name).path)
            try Data((key.publicKey.authorizedKeysLine(comment: name) + "\n").utf8).write(to: keysDirectory.appendingPathComponent(name + ".pub"))
            policy += "  - {name: \"\(name)\", key: \"\(key.publicKey.authorizedKeysLine(comment: nil))\", roles: [\"\(role)\"]"
                + (jurisdiction.map { ", jurisdiction: \"\($0)\"" } ?? "") + "}\n"
        }
        for node in Self.agencyNodes { try add(node, "agency-node", jurisdiction: "edu") }
        for node in Self.centreNodes { try add(node, "centre-node", jurisdiction: nil) }
        for (name, role, edu) in Self.staff { try add(name, role, jurisdiction: edu ? "edu" : nil) }
        let policyPath = directory.appendingPathComponent("policy.yaml").path
        try Data(policy.utf8).write(to: URL(fileURLWithPath: policyPath))

        // Certificates of the organizations that sign their Annex 1 electronically.
        let certified = options.certifiedOrganizations ?? max(2, options.cases / 50)
        let pkiOrganizations = (0..<certified).map { index in
            TestPKI.Organization(id: String(format: "7%07d", index), name: "Synthetic Organization \(index)",
                                 keyType: index % 2 == 0 ? .rsa2048 : .p256)
        }
        let pki = try TestPKI.make(at: directory.appendingPathComponent("pki"), organizations: pkiOrganizations, staff: [])
        var organizationSigners: [String: (StepSigner, String)] = [:]
        for organization in pkiOrganizations {
            guard let issued = pki.organizations[organization.id] else { continue }
            organizationSigners[organization.id] = (try StepSigner.load(key: issued.key.path, chain: issued.chain.path),
                                                    organization.keyType == .rsa2048 ? "rsa-2048" : "ecdsa-p256")
        }

        // The repository: the real init, with the test root trusted from the first commit.
        let repositoryPath = directory.appendingPathComponent("edu.git").path
        var initOptions = InitOptions(directory: repositoryPath, jurisdiction: "edu", name: "臺南市政府教育局", node: "edu1",
                                      policyFile: policyPath, keyPath: keysDirectory.appendingPathComponent("edu1").path,
                                      bare: true, binary: binary)
        initOptions.trustFiles = [("trust/roots/webjcase-test-root.pem", try Data(contentsOf: pki.rootCertificate))]
        var clock = Date(timeIntervalSince1970: 1_767_574_800)  // 2026-01-05T09:00:00+08:00
        _ = try CaseRepository.initialize(initOptions, clock: FixedClock(clock))
        let git = try Repository(path: repositoryPath)
        var head = try git.reference(CaseRepository.mainRef)!
        var published = head
        var tree = try git.commit(head).tree

        var result = Result(repository: repositoryPath, keys: keysDirectory.path)
        // The time advances a few minutes per commit so that two years hold the history.
        let step = max(60.0, min(600.0, 600 * 86_400 / Double(options.cases * 9)))
        var numbers: [String: Int] = [:]
        var pending = 0

        func commit(_ files: [(String, Data)], message: String, node: String) throws {
            var changes: [TreeChange] = []
            for (path, data) in files { changes.append(.set(path: path, id: try git.writeBlob(data), mode: .blob)) }
            tree = try git.buildTree(base: tree, changes: changes)
            head = try NodeCommitWriter.commit(in: git, tree: tree, parent: head, message: message,
                                               author: .node(node, jurisdiction: "edu"), time: clock, key: keys[node]!)
            result.commits += 1
            result.ed25519Signatures += 1
            pending += 1
        }

        /// One case: opened and stepped by `node`, each step signed by its person.
        final class CaseWriter {
            let id: CaseID
            var sequence = 0
            var previous = ""
            init(id: CaseID) { self.id = id }
        }

        func open(_ kind: CaseKind, organization: String, node: String, by signer: String, data: String) throws -> CaseWriter {
            clock += step
            let year = Taipei.year(of: clock)
            let counter = "\(kind.rawValue)-\(year)-\(node)"
            numbers[counter, default: 0] += 1
            let id = CaseID(kind: kind, year: year, node: node, number: numbers[counter]!)
            let caseBytes = try DocumentWriter.yaml(CaseFile(id: id, organization: organization, jurisdiction: "edu", node: node))
            let writer = CaseWriter(id: id)
            writer.previous = Digest.prefixed(caseBytes)
            try record(writer, .open, node: node, by: signer, data: data, extra: [(id.directory + "/case.yaml", caseBytes)], advance: false)
            result.cases += 1
            result.kinds[kind.rawValue, default: 0] += 1
            return writer
        }

        func record(_ writer: CaseWriter, _ action: Action, node: String, by signer: String, data: String,
                    extra: [(String, Data)] = [], attachments: [AttachmentReference] = [], advance: Bool = true) throws {
            if advance { clock += step }
            let value = try StrictYAML.decode(StepData.dataType(for: action), from: Data(data.utf8), file: "synthetic \(action.rawValue)")
            guard let stepData = StepData(action: action, value: value) else { throw SyntheticError.data(action.rawValue) }
            writer.sequence += 1
            let key = StepSigner(keys[signer]!)
            let document = StepDocument(case: writer.id, sequence: writer.sequence, action: action, at: Timestamp(clock),
                                        actor: key.signer.publicKey.fingerprint, previous: writer.previous, data: stepData,
                                        attachments: attachments)
            let (path, bytes, envelope) = try StepComposer.files(document, key: key)
            writer.previous = Digest.prefixed(bytes)
            result.ed25519Signatures += 1
            try commit(extra + [(path, bytes), (path + ".sig", envelope)],
                       message: StepComposer.message(document, actorName: signer, fingerprint: key.signer.publicKey.fingerprint), node: node)
        }

        /// Scans of the annexes a step brings, attached and listed by digest.
        func scans(_ writer: CaseWriter, _ annexes: [Int], letter: String, certified: String? = nil) throws
            -> (data: String, files: [(String, Data)], references: [AttachmentReference]) {
            var files: [(String, Data)] = []
            var references: [AttachmentReference] = []
            var listed: [String] = []
            for annex in annexes {
                if annex == 1, let organization = certified, let (signer, algorithm) = organizationSigners[organization] {
                    let form = Self.annex1(organization: organization, letter: letter, signedAt: Timestamp(clock.addingTimeInterval(-3_600)), rng: &rng)
                    let envelope = try SignatureEnvelope.sign(document: form, payloadType: documentPayloadType, signer: signer.signer, chain: signer.chain)
                    files += [(writer.id.directory + "/documents/annex-1.yaml", form), (writer.id.directory + "/documents/annex-1.yaml.sig", envelope.encoded())]
                    listed.append("  - {annex: 1, file: \"documents/annex-1.yaml\", sha256: \"\(Digest.sha256Hex(form))\"}")
                    result.certificateSignatures[algorithm, default: 0] += 1
                    continue
                }
                let name = "annex-\(annex)-s\(writer.sequence + 1).pdf"
                var pdf = Data("%PDF-1.4\n% \(writer.id) Annex \(annex) scanned \(Timestamp(clock).text)\n".utf8)
                pdf.append(Data((0..<1_536).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
                pdf.append(Data("\n%%EOF\n".utf8))
                files.append((writer.id.directory + "/attachments/" + name, pdf))
                references.append(AttachmentReference(name: name, sha256: Digest.sha256Hex(pdf), size: pdf.count))
                listed.append("  - {annex: \(annex), file: \"attachments/\(name)\", sha256: \"\(Digest.sha256Hex(pdf))\"}")
            }
            return ("letter: {number: \"\(letter)\", date: \(CalendarDate(clock.addingTimeInterval(-86_400)))}\ndocuments:\n" + listed.joined(separator: "\n"),
                    files, references)
        }

        func submit(_ writer: CaseWriter, _ action: Action, annexes: [Int], node: String, certified: String? = nil) throws {
            clock += step
            let letter = "南市例字第\(1150000000 + result.commits)號"
            let (data, files, references) = try scans(writer, annexes, letter: letter, certified: certified)
            clock -= step
            try record(writer, action, node: node, by: Bool.random(using: &rng) ? "chen.clerk" : "lin.clerk", data: data, extra: files,
                       attachments: references)
        }

        var organizationIndex = 0
        func more() -> Bool { result.cases < options.cases && result.commits < (options.commits ?? .max) }
        /// One organization's story: registration, then perhaps a change, an audit,
        /// enforcement or a pause.
        func organizationStory() throws {
            organizationIndex += 1
            let certifiedID = organizationIndex <= certified ? String(format: "7%07d", organizationIndex - 1) : nil
            let organization = certifiedID ?? String(format: "%08d", 10_000_000 + organizationIndex)
            result.organizations += 1
            let node = Self.agencyNodes[Int(rng.next() % UInt64(Self.agencyNodes.count))]
            let centre = Self.centreNodes[Int(rng.next() % UInt64(Self.centreNodes.count))]
            let reviewer = Bool.random(using: &rng) ? "wang.reviewer" : "chang.reviewer"
            let centreReviewer = Bool.random(using: &rng) ? "lee.centre" : "ho.centre"
            let tracker = Bool.random(using: &rng) ? "kao.staff" : "liu.staff"

            // Point 4: registration, with corrections at either review now and then.
            let reg = try open(.registration, organization: organization, node: node, by: "chen.clerk", data: """
                subject: "Registration of organization \(organization)"
                letter: {number: "南市例字第\(1150000000 + result.commits)號", date: \(CalendarDate(clock.addingTimeInterval(-86_400)))}
                """)
            try submit(reg, .submit, annexes: [1, 2, 3, 4, 5], node: node, certified: certifiedID)
            /// A correction asked for one annex, then the annex received again.
            func correction(_ action: Action, annex: Int, item: String, on reviewNode: String, by signer: String) throws {
                try record(reg, action, node: reviewNode, by: signer, data: """
                    items: ["\(item)"]
                    correctBy: \(CalendarDate(clock.addingTimeInterval(14 * 86_400)))
                    """)
                try submit(reg, .correct, annexes: [annex], node: node)
            }
            if rng.next() % 2 == 0 {
                try correction(.initialCorrection, annex: 4, item: "Annex 4 (security self-assessment) is not signed", on: node, by: reviewer)
            }
            try record(reg, .initialForward, node: node, by: reviewer, data: "note: \"Forwarded.\"")
            if rng.next() % 5 == 0 {
                try correction(.secondaryCorrection, annex: 3, item: "Annex 3 lacks the terminal's location", on: centre, by: centreReviewer)
            }
            try record(reg, .secondaryApprove, node: centre, by: centreReviewer, data: "note: \"Approved.\"")
            guard result.cases < options.cases else { return }

            // Point 5: a change now and then.
            if rng.next() % 10 < 4 {
                let change = try open(.change, organization: organization, node: node, by: "lin.clerk", data: """
                    subject: "Change of contact of \(organization)"
                    letter: {number: "南市例字第\(1150000000 + result.commits)號", date: \(CalendarDate(clock.addingTimeInterval(-86_400)))}
                    """)
                try submit(change, .submit, annexes: [1, 4, 6], node: node)
                try record(change, .initialForward, node: node, by: reviewer, data: "note: \"Forwarded.\"")
                try record(change, .secondaryApprove, node: centre, by: centreReviewer, data: "note: \"Approved.\"")
                guard result.cases < options.cases else { return }
            }
            // Point 6: an audit, compliant or finding something.
            let roll = rng.next() % 100
            if roll < 25 {
                let audit = try open(.audit, organization: organization, node: centre, by: tracker, data: """
                    subject: "Audit of \(organization)"
                    audit: {scope: "Exchange logs of the quarter", method: "documents"}
                    """)
                try record(audit, .auditFinding, node: centre, by: tracker, data: """
                    observations: ["Logs reviewed; nothing out of order"]
                    """)
                try record(audit, .auditClose, node: centre, by: tracker, data: "result: \"compliant\"\nnote: \"No finding.\"")
                guard result.cases < options.cases else { return }
            } else if roll < 33 {
                // Points 7-8: enforcement, improved in time.
                let enforcement = try open(.enforcement, organization: organization, node: centre, by: tracker, data: """
                    subject: "Advertising sent through the exchange by \(organization)"
                    grounds: {items: [6], facts: "Advertising sent to 12 agencies.", evidence: ["Exchange log extract"], verified: true}
                    """)
                try record(enforcement, .suspend, node: centre, by: tracker, data: """
                    letter: {number: "南市智字第\(1150000000 + result.commits)號", date: \(CalendarDate(clock))}
                    items: [{number: 1, requirement: "Stop sending advertising"}]
                    deadline: \(CalendarDate(clock.addingTimeInterval(30 * 86_400)))
                    tracker: "\(tracker)"
                    """)
                try record(enforcement, .improvementReport, node: centre, by: "wu.clerk", data: """
                    channel: "letter"
                    receivedAt: \(Timestamp(clock).text)
                    letter: {number: "例字第\(1150000000 + result.commits)號", date: \(CalendarDate(clock))}
                    items: [{number: 1, handled: "Stopped"}]
                    """)
                try record(enforcement, .tracking, node: centre, by: tracker, data: "result: \"completed\"\nnotes: \"Checked the logs.\"")
                try record(enforcement, .resolve, node: centre, by: tracker, data: "note: \"Improved.\"")
            } else if roll < 38 {
                let pause = try open(.pause, organization: organization, node: node, by: "chen.clerk", data: """
                    subject: "Pause of \(organization)"
                    letter: {number: "南市例字第\(1150000000 + result.commits)號", date: \(CalendarDate(clock.addingTimeInterval(-86_400)))}
                    """)
                try submit(pause, .submit, annexes: [1, 4, 6], node: node)
                try record(pause, .initialForward, node: node, by: reviewer, data: "note: \"Forwarded.\"")
                try record(pause, .secondaryApprove, node: centre, by: centreReviewer, data: "note: \"Approved.\"")
            }
        }

        // Objects go to memory and are stored as one pack per stretch of commits.
        while more() {
            try git.writingOnePack {
                while more() && pending < options.commitsPerPack { try organizationStory() }
            }
            try git.updateReference(CaseRepository.mainRef, to: head, expected: published, message: "synthetic")
            published = head
            pending = 0
        }
        result.seconds = Date().timeIntervalSince(started)
        result.lastCommitTime = clock
        return result
    }

    /// An Annex 1 form as an organization signs it: personal fields as commitments.
    static func annex1(organization: String, letter: String, signedAt: Timestamp, rng: inout SplitMix) -> Data {
        func commitment() -> String {
            "sha256:" + (0..<4).map { _ in String(format: "%016llx", rng.next()) }.joined()
        }
        return Data("""
        kind: "annex-1"
        format: 1
        organization: "\(organization)"
        application: {number: "\(letter)", date: \(CalendarDate(signedAt.date))}
        signedAt: \(signedAt.text)
        request: "registration"
        organizationName: "Synthetic Organization \(organization)"
        registeredWith: "臺南市政府教育局"
        address: "臺南市安平區永華路二段6號"
        contact: {name: "\(commitment())", phone: "\(commitment())", email: "\(commitment())"}

        """.utf8)
    }
}

enum SyntheticError: Error { case data(String) }

/// A small seeded generator: the same seed gives the same jurisdiction.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
