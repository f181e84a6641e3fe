import ArgumentParser
import CaseModel
import CaseSigning
import CaseStore
import CaseDemo
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
        let demo = try DemoRun(directory: directory, language: global.language, story: try DemoStory.embedded())
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
    /// The story played, decoded and checked before anything is made.
    let story: DemoStory
    private let binary = currentBinary
    private let clock = LockedValue<String>()
    private var now: String
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
    /// The clones by the names the story's beats use.
    private var clones: [String: Clone] { ["edu1": edu1, "social1": social1, "centre/edu": centreEdu, "centre/social": centreSocial] }

    init(directory: String, language: Language, story: DemoStory) throws {
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
        self.story = story
        now = DemoStory.clockTime(story.start) ?? story.start
        clock.set(now)
    }

    // MARK: The story

    /// Set-up, then every beat of the story (`DemoStory.text`) by its handler, then the records.
    func play() throws {
        try setUp()
        var cases: [String: String] = [:]  // the name an `open` beat gave → the case id
        var forms: [String: String] = [:]  // organization → its signed form
        for chapter in story.chapters {
            guard let title = MessageID(rawValue: chapter.title) else { continue }
            self.chapter(title)
            for entry in chapter.beats {
                guard let beat = entry.beat else { continue }
                switch beat {
                case .open(let open):
                    cases[open.name] = try self.open(open.kind, org: open.org, on: clone(open.clone), by: open.signer, at: open.at, data: open.data)
                case .step(let step):
                    let documents = try (step.documents ?? []).map { document in
                        guard let file = forms[document.organization] else { throw storyBroken("documents of \(step.case)") }
                        return (annex: document.annex, file: file)
                    }
                    guard let id = cases[step.case] else { throw storyBroken("case \(step.case)") }
                    try self.step(id, step.action, on: clone(step.clone), by: step.signer, at: step.at, annexes: step.annexes ?? [],
                                  documents: documents, expect: step.expect, data: step.data)
                case .sync(let sync):
                    try self.sync(clone(sync.clone), at: sync.at)
                case .showOrganization(let show):
                    try showOrganization(show.organization, on: clone(show.clone), at: show.at, syncFirst: show.syncFirst ?? false)
                case .showDue(let show):
                    try showDue(on: clone(show.clone), at: show.at)
                case .trustTestXCA(let trust):
                    try trustTestXCA(on: clone(trust.clone), by: trust.admins, at: trust.at)
                case .applicantSigns(let signs):
                    forms[signs.organization] = try applicantSigns(organization: signs.organization, at: signs.at, form: signs.form)
                }
            }
        }
        try records()
    }

    /// The records: the hub stops, every jurisdiction's dossiers are written, every repository verified.
    private func records() throws {
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

    /// The clone a beat names (`DemoStory.clones`).
    private func clone(_ name: String) throws -> Clone {
        guard let clone = clones[name] else { throw storyBroken("clone \(name)") }
        return clone
    }

    /// What `DemoStory.check` rules out, should it reach a handler anyway.
    private func storyBroken(_ what: String) -> CaseError {
        CaseError(.demoStepFailed, ["command": "story: " + what, "status": "-", "expected": "a story DemoStory.check accepts", "output": ""],
                  status: .ruleBroken)
    }

    // MARK: Set-up

    private func setUp() throws {
        chapter(.demoChapterSetUp)
        let cast = story.cast.map { ($0.name, $0.role, $0.jurisdiction) }
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
            let token = try webjcase(["hub", "token", node, "--policy", "policy.yaml", "--out", "keys/\(node).token"])
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
        try writeNew(root + "/card/pin", Data("123456\n".utf8), mode: 0o600)
        try webjcase(["sign", file, "--cms", "--pkcs11", module, "--pin-file", "card/pin", "--cert-chain", chain], environment: environment)
        say(Message(.demoCardSigned, ["at": time, "organization": organization, "file": file, "module": module, "signature": file + ".p7s"]))
        return file
    }

    /// A PEM certificate as DER, for pkcs11-tool.
    private func writeDER(certificate pem: String, to der: String) throws {
        let text = try String(contentsOfFile: root + "/" + pem, encoding: .utf8)
        guard let leaf = (try? CertificateChain(pem: text))?.base64DER.first, let data = Data(base64Encoded: leaf) else {
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
