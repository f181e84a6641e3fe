import ArgumentParser
import CaseModel
import CaseStore
import CaseSync
import CaseHub
import Foundation
import Logging

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play the whole story of the rules on a throwaway hub on 127.0.0.1, with test keys and a clock that moves months in seconds.",
        discussion: """
        A hub with two jurisdictions (edu, social), the Centre's node and two agency nodes, every one a real
        repository and every step a real signed commit pushed through `serve` and judged by the hub's hooks:
        two admins trusting a TEST XCA root by a threshold change, an applicant signing its form on a card
        (a SoftHSM2 token through PKCS#11; a key file where softhsm2 is missing), a registration approved after a correction, a change, a pause, a transfer, an audit that finds a
        violation, suspension with an emailed report confirmed by phone, an extension, three incomplete
        trackings, termination, the Archives disabling service after 18:00 the day before, and a
        re-application held until the Centre's evaluation. It leaves DIR/hub (the hub's repositories with their
        hooks), DIR/nodes (the node clones), DIR/keys, DIR/data (every step's data), DIR/pki and DIR/card (the test PKI
        and token) and DIR/dossiers, and ends
        by verifying every repository.
        Example: webjcase demo /tmp/webjcase-demo
        """)

    @Argument(help: "A new or empty directory for everything the demo makes.") var directory: String = "webjcase-demo"
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let started = Date()
        let demo = try DemoRun(directory: directory, language: global.language)
        defer { demo.finish() }
        try demo.play()
        Console.say(Message(.demoDone, ["seconds": String(format: "%.1f", Date().timeIntervalSince(started)),
                                        "index": demo.root + "/dossiers/edu/index.html", "hub": demo.root + "/hub",
                                        "config": demo.root + "/hub.yaml"]), global.language)
    }
}

/// One run of the demo: the directory, the shared clock, the hub served in this process,
/// and the node commands run as child processes of this binary.
final class DemoRun {
    let root: String
    let language: Language
    private let binary = currentBinary
    private let clock = LockedValue<String>()
    private var now = "2026-03-01T09:00:00+08:00"
    private var server: Task<Void, Never>?
    private let stopped = DispatchSemaphore(value: 0)
    private var hubURL = ""
    private var scans = 0
    private var dataFiles = 0

    /// The node clones: `nodes/<node>/<jurisdiction>`.
    struct Clone {
        let node: String
        let jurisdiction: String
        var path: String { "nodes/\(node)/\(jurisdiction)" }
    }

    let edu1 = Clone(node: "edu1", jurisdiction: "edu")
    let social1 = Clone(node: "social1", jurisdiction: "social")
    let centreEdu = Clone(node: "centre", jurisdiction: "edu")
    let centreSocial = Clone(node: "centre", jurisdiction: "social")

    init(directory: String, language: Language) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        if manager.fileExists(atPath: url.path), !((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).isEmpty {
            throw CaseError(.demoNotEmpty, ["dir": url.path])
        }
        for sub in ["", "/keys", "/data", "/nodes", "/dossiers"] {
            do {
                try manager.createDirectory(atPath: url.path + sub, withIntermediateDirectories: true)
            } catch {
                throw CaseError(.fileWriteFailed, ["file": url.path + sub, "reason": error.localizedDescription])
            }
        }
        root = url.path
        self.language = language
        clock.set(now)
    }

    // MARK: The story

    func play() throws {
        try setUp()

        chapter(.demoChapterRegistration)
        let form = try applicantSigns(organization: "12345678", at: "2026-02-27T15:00", form: """
            kind: "annex-1"
            format: 1
            organization: "12345678"
            application: {number: "南市例字第1150000123號", date: 2026-02-27}
            signedAt: 2026-02-27T15:00:00+08:00
            request: "registration"
            organizationName: "臺南市範例協會"
            registeredWith: "臺南市政府教育局"
            address: "臺南市安平區永華路二段6號"
            contact: {name: {value: "王小明"}, phone: {value: "06-2991111"}, email: {value: "contact@example.org.tw"}}
            """)
        try trustTestXCA(on: centreEdu, by: ["lin.admin", "kim.admin"], at: "2026-03-01T10:00")
        try sync(centreEdu, at: "2026-03-01T10:05")
        try sync(edu1, at: "2026-03-02T08:55")
        let reg = try open("REG", org: "12345678", on: edu1, by: "chen.clerk", at: "2026-03-02T09:00", data: """
            subject: "Registration of the Tainan Example Association"
            letter: {number: "南市例字第1150000123號", date: 2026-02-27}
            """)
        try step(reg, "submit", on: edu1, by: "chen.clerk", at: "2026-03-02T09:30", annexes: [2, 3, 4, 5], documents: [(1, form)], data: """
            letter: {number: "南市例字第1150000123號", date: 2026-02-27}
            note: "Annex 1 signed on the association's card (CMS); Annexes 2-5 received on paper, signed by its representative."
            """)
        try step(reg, "initial.correction", on: edu1, by: "wang.reviewer", at: "2026-03-03T10:00", data: """
            items: ["Annex 4 (security self-assessment) is not signed"]
            correctBy: 2026-03-20
            """)
        try sync(edu1, at: "2026-03-03T10:05")
        try step(reg, "correct", on: edu1, by: "chen.clerk", at: "2026-03-10T09:15", annexes: [4], data: """
            letter: {number: "南市例字第1150000150號", date: 2026-03-09}
            """)
        try step(reg, "initial.forward", on: edu1, by: "wang.reviewer", at: "2026-03-11T10:00", data: """
            note: "Registered in Tainan City under our jurisdiction; all annexes complete."
            """)
        try sync(edu1, at: "2026-03-11T10:05")
        try sync(centreEdu, at: "2026-03-12T09:00")
        try step(reg, "secondary.approve", on: centreEdu, by: "lee.centre", at: "2026-03-12T10:00", data: "note: \"Approved.\"")
        try sync(centreEdu, at: "2026-03-12T10:05")
        try showOrganization("12345678", on: edu1, at: "2026-03-12T11:00", syncFirst: true)

        chapter(.demoChapterChange)
        let change = try open("CHG", org: "12345678", on: edu1, by: "chen.clerk", at: "2026-04-01T09:00", data: """
            subject: "Change of the association's contact and exchange terminal"
            letter: {number: "南市例字第1150000310號", date: 2026-03-30}
            """)
        try step(change, "submit", on: edu1, by: "chen.clerk", at: "2026-04-01T09:30", annexes: [1, 4, 6], data: """
            letter: {number: "南市例字第1150000310號", date: 2026-03-30}
            """)
        try step(change, "initial.forward", on: edu1, by: "wang.reviewer", at: "2026-04-02T10:00", data: "note: \"Forwarded.\"")
        try sync(edu1, at: "2026-04-02T10:05")
        try sync(centreEdu, at: "2026-04-03T09:00")
        try step(change, "secondary.approve", on: centreEdu, by: "lee.centre", at: "2026-04-03T10:00", data: "note: \"Change approved.\"")
        try sync(centreEdu, at: "2026-04-03T10:05")

        chapter(.demoChapterPause)
        let sports = try open("REG", org: "55667788", on: social1, by: "tsai.clerk", at: "2026-03-16T09:00", data: """
            subject: "Registration of the Tainan Example Sports Association"
            letter: {number: "南市社字第1150000201號", date: 2026-03-13}
            """)
        try step(sports, "submit", on: social1, by: "tsai.clerk", at: "2026-03-16T09:30", annexes: [1, 2, 3, 4, 5], data: """
            letter: {number: "南市社字第1150000201號", date: 2026-03-13}
            """)
        try step(sports, "initial.forward", on: social1, by: "hsu.reviewer", at: "2026-03-17T10:00", data: "note: \"Forwarded.\"")
        try sync(social1, at: "2026-03-17T10:05")
        try sync(centreSocial, at: "2026-03-18T09:00")
        try step(sports, "secondary.approve", on: centreSocial, by: "lee.centre", at: "2026-03-18T10:00", data: "note: \"Approved.\"")
        try sync(centreSocial, at: "2026-03-18T10:05")
        try sync(social1, at: "2026-05-04T08:55")
        let pause = try open("PAU", org: "55667788", on: social1, by: "tsai.clerk", at: "2026-05-04T09:00", data: """
            subject: "Pause while the association moves its office"
            letter: {number: "南市社字第1150000400號", date: 2026-04-30}
            """)
        try step(pause, "submit", on: social1, by: "tsai.clerk", at: "2026-05-04T09:30", annexes: [1, 4, 6], data: """
            letter: {number: "南市社字第1150000400號", date: 2026-04-30}
            """)
        try step(pause, "initial.forward", on: social1, by: "hsu.reviewer", at: "2026-05-05T10:00", data: "note: \"Forwarded.\"")
        try sync(social1, at: "2026-05-05T10:05")
        try sync(centreSocial, at: "2026-05-06T09:00")
        try step(pause, "secondary.approve", on: centreSocial, by: "lee.centre", at: "2026-05-06T10:00", data: "note: \"Pause approved.\"")
        try sync(centreSocial, at: "2026-05-06T10:05")
        try showOrganization("55667788", on: centreSocial, at: "2026-05-06T11:00")

        chapter(.demoChapterTransfer)
        let misfiled = try open("REG", org: "87654321", on: social1, by: "tsai.clerk", at: "2026-05-07T09:00", data: """
            subject: "Registration of the Tainan Example Education Foundation"
            letter: {number: "南市社字第1150000420號", date: 2026-05-05}
            """)
        try step(misfiled, "submit", on: social1, by: "tsai.clerk", at: "2026-05-07T09:30", annexes: [1, 2, 3, 4, 5], data: """
            letter: {number: "南市社字第1150000420號", date: 2026-05-05}
            """)
        try step(misfiled, "initial.transfer", on: social1, by: "hsu.reviewer", at: "2026-05-08T10:00", data: """
            to: "edu"
            note: "An education foundation: the Education Bureau is its competent authority (APA art. 17)."
            """)
        try sync(social1, at: "2026-05-08T10:05")

        chapter(.demoChapterAudit)
        try sync(centreEdu, at: "2026-05-11T08:55")
        let audit = try open("AUD", org: "12345678", on: centreEdu, by: "kao.staff", at: "2026-05-11T09:00", data: """
            subject: "Audit of the Tainan Example Association's use of the system"
            audit: {scope: "Exchange logs of April 2026", method: "documents"}
            """)
        try step(audit, "audit.finding", on: centreEdu, by: "kao.staff", at: "2026-05-12T10:00", data: """
            observations: ["Commercial advertising sent through the exchange to 40 agencies on 2026-05-04"]
            items: [6]
            """)
        try step(audit, "audit.close", on: centreEdu, by: "kao.staff", at: "2026-05-13T10:00", data: """
            result: "violation"
            items: [6]
            note: "Point 7 item 6: the system used for purposes other than official documents."
            """)
        try sync(centreEdu, at: "2026-05-13T10:05")

        chapter(.demoChapterSuspension)
        let enforcement = try open("ENF", org: "12345678", on: centreEdu, by: "kao.staff", at: "2026-05-14T09:00", data: """
            subject: "Advertising sent through the exchange"
            grounds:
              items: [6]
              facts: "Sent commercial advertising to 40 agencies through the exchange on 2026-05-04."
              evidence: ["Exchange log extract of 2026-05-04", "Audit AUD-2026-centre-0001"]
              verified: true
              audit: "AUD-2026-centre-0001"
            """)
        try step(enforcement, "suspend", on: centreEdu, by: "kao.staff", at: "2026-05-15T09:00", data: """
            letter: {number: "南市智字第1150000200號", date: 2026-05-15}
            items:
              - {number: 1, requirement: "Stop sending advertising through the exchange"}
              - {number: 2, requirement: "Name a contact responsible for the exchange terminal"}
            deadline: 2026-06-15
            tracker: "kao.staff"
            contact: {value: "王小明"}
            """)
        try sync(centreEdu, at: "2026-05-15T09:05")
        try showOrganization("12345678", on: edu1, at: "2026-05-15T10:00", syncFirst: true)
        try step(enforcement, "improvement.report", on: centreEdu, by: "wu.clerk", at: "2026-05-29T11:00", annexes: [8], data: """
            channel: "email"
            receivedAt: 2026-05-29T10:00:00+08:00
            sender: {value: "contact@example.org.tw"}
            items:
              - {number: 1, handled: "The campaign module was removed from the exchange terminal"}
              - {number: 2, handled: "Mr Wang is the contact for the terminal"}
            """)
        try step(enforcement, "improvement.phone-confirmation", on: centreEdu, by: "wu.clerk", at: "2026-05-29T16:00", data: """
            calledAt: 2026-05-29T15:30:00+08:00
            contact: {value: "王小明"}
            phone: {value: "06-2991111"}
            note: "The contact confirmed the e-mailed Annex 8 reply."
            """)
        try sync(centreEdu, at: "2026-05-29T16:05")
        try step(enforcement, "extension.request", on: centreEdu, by: "wu.clerk", at: "2026-06-05T10:00", data: """
            requestedUntil: 2026-07-06
            reason: "The vendor needs three more weeks to remove the module from the backup terminal."
            letter: {number: "例字第1150000060號", date: 2026-06-04}
            """)
        try sync(centreEdu, at: "2026-06-05T10:05")
        try step(enforcement, "extension.decision", on: centreEdu, by: "kao.staff", at: "2026-06-08T10:00", data: """
            granted: true
            until: 2026-07-06
            note: "Granted once."
            """)
        try sync(centreEdu, at: "2026-06-08T10:05")
        for (index, at) in ["2026-06-10T10:00", "2026-06-22T10:00", "2026-07-03T10:00"].enumerated() {
            try step(enforcement, "tracking", on: centreEdu, by: "kao.staff", at: at, data: """
                result: "incomplete"
                notes: "Tracking \(index + 1): advertising still leaves the backup terminal."
                """)
            try sync(centreEdu, at: String(at.dropLast(2)) + "05")
        }
        try step(enforcement, "resolve", on: centreEdu, by: "kao.staff", at: "2026-07-03T11:00", expect: "P8-THIRD-TRACKING-TERMINATES",
                 data: "note: \"Closing as improved.\"")

        chapter(.demoChapterTermination)
        try step(enforcement, "termination.notice", on: centreEdu, by: "kao.staff", at: "2026-07-06T10:00", data: """
            letter: {number: "南市智字第1150000300號", date: 2026-07-06}
            terminationDate: 2026-07-21
            archivesReport: {number: "南市智字第1150000301號", date: 2026-07-06}
            """)
        try sync(centreEdu, at: "2026-07-06T10:05")
        try showDue(on: centreEdu, at: "2026-07-06T11:00")
        try step(enforcement, "archives.service-disabled", on: centreEdu, by: "kao.staff", at: "2026-07-21T09:00", data: """
            disabledAt: 2026-07-20T18:30:00+08:00
            archivesReply: {number: "檔應字第1150004567號", date: 2026-07-21}
            """)
        try sync(centreEdu, at: "2026-07-21T09:05")
        try showOrganization("12345678", on: edu1, at: "2026-07-21T10:00", syncFirst: true)

        chapter(.demoChapterReapplication)
        let again = try open("REG", org: "12345678", on: edu1, by: "chen.clerk", at: "2026-08-03T09:00", data: """
            subject: "Re-application of the Tainan Example Association"
            letter: {number: "南市例字第1150000800號", date: 2026-07-31}
            """)
        try step(again, "submit", on: edu1, by: "chen.clerk", at: "2026-08-03T09:30", annexes: [1, 2, 3, 4, 5], data: """
            letter: {number: "南市例字第1150000800號", date: 2026-07-31}
            """)
        try step(again, "initial.forward", on: edu1, by: "wang.reviewer", at: "2026-08-04T10:00", data: "note: \"Forwarded; the association was terminated in July.\"")
        try sync(edu1, at: "2026-08-04T10:05")
        try sync(centreEdu, at: "2026-08-05T09:00")
        try step(again, "secondary.approve", on: centreEdu, by: "lee.centre", at: "2026-08-05T10:00", expect: "P9-EVALUATION",
                 data: "note: \"Approved.\"")
        try step(again, "reapplication.evaluation", on: centreEdu, by: "lee.centre", at: "2026-08-05T10:20", expect: "P9-EVALUATION-CASES", data: """
            cases: ["ENF-2026-centre-0001"]
            severity: "serious"
            improvement: "The module is gone from both terminals."
            verdict: "feasible"
            """)
        try step(again, "reapplication.evaluation", on: centreEdu, by: "lee.centre", at: "2026-08-05T10:30", data: """
            cases: ["AUD-2026-centre-0001", "ENF-2026-centre-0001"]
            severity: "serious"
            improvement: "The module is gone from both terminals; the Centre's site visit of 2026-08-04 confirmed it."
            verdict: "feasible"
            """)
        try step(again, "secondary.approve", on: centreEdu, by: "lee.centre", at: "2026-08-05T11:00", data: "note: \"Approved after the evaluation.\"")
        try sync(centreEdu, at: "2026-08-05T11:05")
        try sync(edu1, at: "2026-08-05T11:10")
        try sync(social1, at: "2026-08-05T11:15")
        try sync(centreSocial, at: "2026-08-05T11:20")
        try showOrganization("12345678", on: edu1, at: "2026-08-05T12:00")

        chapter(.demoChapterRecords)
        stopHub()
        say(Message(.demoHubStopped, ["hub": root + "/hub"]))
        for jurisdiction in ["edu", "social"] {
            try webjcase(["report", "--all", "--out", "dossiers/\(jurisdiction)", "--repo", "hub/\(jurisdiction).git",
                          "--lang", language.rawValue])
            say(Message(.demoDossiers, ["path": root + "/dossiers/\(jurisdiction)/index.html"]))
        }
        var broken: [String] = []
        for repository in ["hub/edu.git", "hub/social.git", edu1.path, social1.path, centreEdu.path, centreSocial.path] {
            let result = try webjcase(["verify", "--json", "--repo", repository], expect: nil)
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let commits = object?["commits"] as? Int ?? 0
            say(Message(result.status == 0 ? .demoVerified : .demoVerifyFailed, ["repo": repository, "commits": "\(commits)"]))
            if result.status != 0 { broken.append(repository) }
        }
        if !broken.isEmpty { throw CaseError(.verifyBroken, [:], status: .ruleBroken) }
    }

    // MARK: Set-up

    private func setUp() throws {
        chapter(.demoChapterSetUp)
        let cast: [(String, String, String?)] = [
            ("centre", "centre-node", nil), ("edu1", "agency-node", "edu"), ("social1", "agency-node", "social"), ("hub", "hub", nil),
            ("chen.clerk", "clerk", "edu"), ("wang.reviewer", "authority-reviewer", "edu"),
            ("tsai.clerk", "clerk", "social"), ("hsu.reviewer", "authority-reviewer", "social"),
            ("wu.clerk", "clerk", nil), ("lee.centre", "centre-reviewer", nil), ("kao.staff", "centre-staff", nil),
            ("lin.admin", "admin", nil), ("kim.admin", "admin", nil),
        ]
        // Two admins, both needed for a change of trust (the threshold).
        var policy = "kind: \"policy\"\nversion: 1\nmode: \"test\"\nthreshold: 2\nidentities:\n"
        for (name, role, jurisdiction) in cast {
            try webjcase(["keys", "new", "keys/\(name)"])
            let key = try String(contentsOfFile: "\(root)/keys/\(name).pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            policy += "  - {name: \"\(name)\", key: \"\(key)\", roles: [\"\(role)\"]\(jurisdiction.map { ", jurisdiction: \"\($0)\"" } ?? "")}\n"
        }
        try write("policy.yaml", policy)
        var hub = """
        kind: "hub"
        format: 1
        policy: "policy.yaml"
        node: "centre"
        key: "keys/centre"
        hubKey: "keys/hub"
        jurisdictions:
          - {id: "edu", name: "臺南市政府教育局"}
          - {id: "social", name: "臺南市政府社會局"}
        tokens:

        """
        for node in ["centre", "edu1", "social1"] {
            let token = try webjcase(["hub", "token", node])
            try write("keys/\(node).token", token.stdout)
            hub += token.stderr.split(separator: "\n").filter { $0.contains("- {node") }.map { $0 + "\n" }.joined()
        }
        try write("hub.yaml", hub)
        let made = try webjcase(["hub", "init", "hub", "--config", "hub.yaml"])
        var pins: [String: String] = [:]
        for line in made.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { pins[String(parts[0])] = String(parts[1]) }
        }
        try startHub()
        say(Message(.demoHub, ["url": hubURL, "hub": root + "/hub"]))
        for clone in [edu1, social1, centreEdu, centreSocial] {
            try webjcase(["clone", "\(hubURL)/\(clone.jurisdiction).git", clone.path, "--node", clone.node,
                          "--pin", pins[clone.jurisdiction] ?? "", "--key", "keys/\(clone.node)", "--token-file", "keys/\(clone.node).token"])
            say(Message(.demoCloned, ["node": clone.node, "jurisdiction": clone.jurisdiction, "path": root + "/" + clone.path]))
        }
    }

    private func startHub() throws {
        let config = try HubConfig.load(root + "/hub.yaml")
        var environment = ProcessInfo.processInfo.environment
        environment["WEBJCASE"] = binary
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "LC_ALL")
        var options = HubServerOptions(root: root + "/hub", host: "127.0.0.1", port: 0, config: config, tlsCertificate: nil, tlsKey: nil,
                                       environment: environment)
        let clock = self.clock
        options.clock = { clock.value ?? "" }
        var logger = Logger(label: "webjcase.demo.hub")
        logger.logLevel = .critical
        let server = HubServer(options: options, logger: logger)
        let port = LockedValue<Int>()
        let running = DispatchSemaphore(value: 0)
        let stopped = self.stopped
        self.server = Task {
            do {
                try await server.run(handleSignals: false) { bound in
                    port.set(bound)
                    running.signal()
                }
            } catch {
                running.signal()
            }
            stopped.signal()
        }
        guard running.wait(timeout: .now() + 30) == .success, let bound = port.value else {
            throw CaseError(.demoStepFailed, ["command": "serve", "status": "-", "expected": "0", "output": "the hub did not start"], status: .ruleBroken)
        }
        hubURL = "http://127.0.0.1:\(bound)"
    }

    private func stopHub() {
        guard let server else { return }
        server.cancel()
        _ = stopped.wait(timeout: .now() + 10)
        self.server = nil
    }

    func finish() { stopHub() }

    // MARK: Steps

    /// Opens a case on a clone; returns its id.
    private func open(_ kind: String, org: String, on clone: Clone, by signer: String, at time: String, data: String) throws -> String {
        tick(time)
        let file = try dataFile("open-\(kind)", data)
        let result = try webjcase(["case", "open", kind, "--org", org, "--data", file, "--key", "keys/\(signer)", "--repo", clone.path])
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        say(Message(.demoStep, ["at": time, "node": clone.node, "signer": signer, "action": Catalogue.term("action", "open", language), "case": id]))
        return id
    }

    /// Records a step; with `expect`, the step must be refused with that rule.
    /// Annexes received on paper (`annexes`) are scanned and attached; applicant-signed
    /// forms (`documents`, a file with its signature beside it) go under `documents/`.
    private func step(_ caseID: String, _ action: String, on clone: Clone, by signer: String, at time: String, annexes: [Int] = [],
                      documents: [(annex: Int, file: String)] = [], expect rule: String? = nil, data: String) throws {
        tick(time)
        var text = data
        var arguments = ["step", caseID, action, "--key", "keys/\(signer)", "--repo", clone.path]
        if !annexes.isEmpty || !documents.isEmpty {
            text += "\ndocuments:\n"
            for (annex, file) in documents {
                text += "  - {annex: \(annex), file: \"documents/\((file as NSString).lastPathComponent)\"}\n"
                arguments += ["--document", file]
            }
            for annex in annexes {
                scans += 1
                let name = "\(caseID)-annex-\(annex)-\(scans).pdf"
                try write("data/\(name)", "%PDF-1.4\n% \(caseID): Annex \(annex), scanned by the clerk (\(time))\n%%EOF\n")
                text += "  - {annex: \(annex), file: \"attachments/\(name)\"}\n"
                arguments += ["--attach", "data/\(name)"]
            }
        }
        arguments += ["--data", try dataFile(action, text)]
        let term = Catalogue.term("action", action, language)
        if let rule {
            let result = try webjcase(arguments, expect: 1)
            guard result.stderr.contains("[\(rule)]") else {
                throw CaseError(.demoStepFailed, ["command": arguments.joined(separator: " "), "status": "1", "expected": rule,
                                                  "output": result.stderr], status: .ruleBroken)
            }
            say(Message(.demoStepRefused, ["at": time, "node": clone.node, "signer": signer, "action": term, "case": caseID, "rule": rule]))
        } else {
            let result = try webjcase(arguments)
            say(Message(.demoStep, ["at": time, "node": clone.node, "signer": signer, "action": term, "case": caseID]))
            for line in result.stderr.split(separator: "\n") where line.hasPrefix("[") { say(Message(.demoFinding, ["finding": String(line)])) }
        }
    }

    /// The admins add the test PKI's root and XCA-like CA to a jurisdiction by a threshold
    /// change of trust: each signs the proposal (`trust sign --from pki`), the node commits it
    /// with the XCA's revocation list (which needs no admin: its CA's signature admits it).
    private func trustTestXCA(on clone: Clone, by admins: [String], at time: String) throws {
        tick(time)
        let paths = ["trust/roots/webjcase-test-root.pem", "trust/ca/test-xca.pem"]
        for (index, admin) in admins.enumerated() {
            for path in paths {
                try webjcase(["trust", "sign", path, "--from", "pki", "--key", "keys/\(admin)", "--repo", clone.path])
            }
            // Below the threshold `trust verify` exits 1; at it, 0.
            let ready = try webjcase(["trust", "verify"] + paths + ["--from", "pki", "--repo", clone.path], expect: nil)
            guard (ready.status == 0) == (index == admins.count - 1) else {
                throw CaseError(.demoStepFailed, ["command": "webjcase trust verify", "status": "\(ready.status)",
                                                  "expected": index == admins.count - 1 ? "0" : "1", "output": ready.stderr + ready.stdout],
                                status: .ruleBroken)
            }
            say(Message(.demoTrustSigned, ["at": time, "admin": admin, "paths": paths.joined(separator: ", "),
                                           "jurisdiction": clone.jurisdiction, "signed": "\(index + 1)", "threshold": "\(admins.count)"]))
        }
        let committed = paths + ["trust/crl/test-xca.crl"]
        try webjcase(["trust", "commit"] + committed + ["--from", "pki", "--repo", clone.path])
        say(Message(.demoTrustCommitted, ["at": time, "node": clone.node, "paths": committed.joined(separator: ", "),
                                          "jurisdiction": clone.jurisdiction]))
    }

    /// The applicant signs its form as its own software would: a TEST PKI stands for the XCA,
    /// a SoftHSM2 token for its card (CKA_ID 5349474e, PIN in a 0600 file); where softhsm2 or
    /// opensc is missing, the organization's key file signs instead, and the demo says so.
    /// Returns the form's path (its `.p7s` and `.personal.yaml` beside it).
    private func applicantSigns(organization: String, at time: String, form: String) throws -> String {
        tick(time)
        try webjcase(["pki", "test-ca", "pki", "--org", "\(organization):rsa"])
        say(Message(.demoTestPKI, ["path": root + "/pki", "organization": organization]))
        let file = "data/annex-1-\(organization).yaml"
        try write(file, form + "\n")
        let chain = "pki/organizations/\(organization).chain.pem"
        let tools = ["/usr/bin/softhsm2-util", "/usr/bin/pkcs11-tool"]
        let module = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                      "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"].first { FileManager.default.fileExists(atPath: $0) }
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) } + (module == nil ? ["libsofthsm2.so"] : [])
        guard let module, missing.isEmpty else {
            say(Message(.demoCardMissing, ["missing": missing.joined(separator: ", ")]))
            try webjcase(["sign", file, "--cms", "--key", "pki/organizations/\(organization).key", "--cert", chain])
            say(Message(.demoFileKeySigned, ["at": time, "organization": organization, "file": file,
                                             "key": "pki/organizations/\(organization).key", "signature": file + ".p7s"]))
            return file
        }
        // The card: a token holding the organization's key and certificate under "SIGN".
        let tokens = root + "/card/tokens"
        try FileManager.default.createDirectory(atPath: tokens, withIntermediateDirectories: true)
        try write("card/softhsm2.conf", "directories.tokendir = \(tokens)\nobjectstore.backend = file\nlog.level = ERROR\n")
        let environment = ["SOFTHSM2_CONF": root + "/card/softhsm2.conf"]
        try run(tools[0], ["--init-token", "--free", "--label", "card-\(organization)", "--pin", "123456", "--so-pin", "12345678"],
                environment: environment)
        try run(tools[0], ["--import", "pki/organizations/\(organization).key", "--token", "card-\(organization)", "--label", "SIGN",
                           "--id", "5349474e", "--pin", "123456"], environment: environment)
        try writeDER(certificate: "pki/organizations/\(organization).pem", to: "card/\(organization).der")
        try run(tools[1], ["--module", module, "--token-label", "card-\(organization)", "--login", "--pin", "123456",
                           "--write-object", "card/\(organization).der", "--type", "cert", "--id", "5349474e", "--label", "SIGN"],
                environment: environment)
        try write("card/pin", "123456\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + "/card/pin")
        try webjcase(["sign", file, "--cms", "--pkcs11", module, "--pin-file", "card/pin", "--cert-chain", chain], environment: environment)
        say(Message(.demoCardSigned, ["at": time, "organization": organization, "file": file, "module": module, "signature": file + ".p7s"]))
        return file
    }

    /// A PEM certificate as DER, for pkcs11-tool.
    private func writeDER(certificate pem: String, to der: String) throws {
        let text = try String(contentsOfFile: root + "/" + pem, encoding: .utf8)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else {
            throw CaseError(.demoStepFailed, ["command": "read \(pem)", "status": "-", "expected": "a PEM certificate", "output": ""],
                            status: .ruleBroken)
        }
        do {
            try data.write(to: URL(fileURLWithPath: root + "/" + der))
        } catch {
            throw CaseError(.fileWriteFailed, ["file": root + "/" + der, "reason": error.localizedDescription])
        }
    }

    private func sync(_ clone: Clone, at time: String) throws {
        tick(time)
        let result = try webjcase(["sync", "--repo", clone.path])
        let pushed = result.stdout.split(separator: "\n").compactMap { line -> Int? in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[1] == "pushed" ? Int(parts[2]) : nil
        }.reduce(0, +)
        // The children speak English (LANG=C.UTF-8): the count of commits received.
        let received = result.stderr.split(separator: "\n").compactMap { line -> Int? in
            line.hasSuffix("commit(s) received from the hub and verified.") ? Int(line.prefix { $0.isNumber }) : nil
        }.first ?? 0
        say(Message(.demoSync, ["at": time, "node": clone.node, "jurisdiction": clone.jurisdiction, "pushed": "\(pushed)",
                                "received": "\(received)"]))
    }

    private func showOrganization(_ organization: String, on clone: Clone, at time: String, syncFirst: Bool = false) throws {
        if syncFirst { try sync(clone, at: time) }
        tick(time)
        let result = try webjcase(["org", organization, "--json", "--repo", clone.path])
        let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let status = object?["status"] as? String ?? "?"
        say(Message(.demoOrganization, ["at": time, "node": clone.node, "organization": organization,
                                        "status": Catalogue.term("org", status, language)]))
    }

    private func showDue(on clone: Clone, at time: String) throws {
        tick(time)
        let result = try webjcase(["due", "--repo", clone.path, "--lang", language.rawValue, "--ics", "due.ics"])
        say(Message(.demoDue, ["at": time, "node": clone.node, "ics": root + "/due.ics"]))
        for line in result.stdout.split(separator: "\n") { Console.data("      \(line)\n") }
    }

    // MARK: Plumbing

    private func tick(_ time: String) {
        now = time.count == 16 ? time + ":00+08:00" : time
        clock.set(now)
    }

    private func chapter(_ id: MessageID) { Console.data("\n== " + Catalogue.render(id, [:], language) + "\n") }

    private func say(_ message: Message) { Console.data(message.render(language) + "\n") }

    private func write(_ name: String, _ text: String) throws { try writeAtomically(text, to: root + "/" + name) }

    private func dataFile(_ action: String, _ text: String) throws -> String {
        dataFiles += 1
        let name = String(format: "data/%03d-%@.yaml", dataFiles, action)
        try write(name, text + "\n")
        return name
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs this binary in the demo directory at the demo's time; a status other than
    /// `expect` (when given) stops the demo with the command and what it said.
    @discardableResult
    private func webjcase(_ arguments: [String], environment extra: [String: String] = [:], expect: Int32? = 0) throws -> Output {
        try run(binary, arguments, environment: extra, expect: expect)
    }

    /// Runs `executable` in the demo directory at the demo's time, in English, with `extra`
    /// in its environment.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:], expect: Int32? = 0) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("webjcase-demo-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["WEBJCASE_NOW"] = now
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "LC_ALL")
        environment.removeValue(forKey: "LC_MESSAGES")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = Output(status: process.terminationStatus,
                            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
        if let expect, output.status != expect {
            let name = executable == binary ? "webjcase" : executable
            throw CaseError(.demoStepFailed, ["command": name + " " + arguments.joined(separator: " "), "status": "\(output.status)",
                                              "expected": "\(expect)", "output": output.stderr + output.stdout], status: .ruleBroken)
        }
        return output
    }
}
