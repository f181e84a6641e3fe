import ArgumentParser
import CaseModel
import CaseStore
import CaseSync
import CaseHub
import CaseYAML
import Foundation
import Logging

struct HubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Make a hub's repositories; make node tokens.",
        subcommands: [Init.self, Token.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One bare case repository per jurisdiction, with the hooks and git's receive checks, and its personal store.",
            discussion: """
            The config names the jurisdictions, the first policy, the Centre node and key that make the first
            commits, the hub's key (role `hub`: it signs receipts) and each node's token hash.
            Example: webjcase hub init /srv/webjcase --config hub.yaml
            """)
        @Argument(help: "The hub's root directory (must not exist or be empty).") var directory: String
        @Option(help: "The hub's config (YAML, kind: hub).") var config: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let hub = try HubConfig.load(config)
            let made = try Hub.initialize(root: directory, config: hub, binary: currentBinary,
                                          clock: try clockBeforeRepository(global.environment, policyFile: hub.policy))
            for repository in made {
                Console.say(Message(.hubInitialized, ["path": repository.path, "jurisdiction": repository.jurisdiction,
                                                      "commit": String(repository.commit.prefix(12)), "fingerprint": repository.policyFingerprint]),
                            global.language)
                Console.data("\(repository.jurisdiction) \(repository.policyFingerprint)\n")
            }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token for a node: the token into --out (mode 0600) or on stdout, its line for the hub's config on stderr.",
            discussion: """
            The node must be an identity of the policy holding agency-node, centre-node or auditor. The token is a
            password: --out writes it readable by its owner only; on stdout redirected to a file, that file is made
            0600 too; on a terminal it is shown with a warning.
            Example: webjcase hub token edu1 --policy policy.yaml --out keys/edu1.token
            """)
        @Argument(help: "The node's name (an identity of the policy).") var node: String
        @Option(help: "The policy the hub serves (the node must be in it).") var policy: String
        @Option(help: "Write the token to this new file, mode 0600.") var out: String?
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let (loaded, _) = try PolicyFile.check(try readInputFile(policy), file: policy)
            let nodeRoles: Set<Role> = [.agencyNode, .centreNode, .auditor]
            guard let identity = loaded.identities.first(where: { $0.name == node }), identity.revoked == nil,
                  !nodeRoles.isDisjoint(with: identity.roles) else {
                let known = loaded.identities.filter { $0.revoked == nil && !nodeRoles.isDisjoint(with: $0.roles) }.map(\.name).sorted()
                throw CaseError(.hubTokenUnknownNode, ["node": node, "policy": policy, "known": known.isEmpty ? "—" : known.joined(separator: ", ")])
            }
            let (token, sha256) = Hub.makeToken()
            if let out {
                // A password: readable by its owner only, from the start; never overwritten.
                try writeNew(out, Data((token + "\n").utf8), mode: 0o600)
                Console.say(Message(.hubTokenWritten, ["node": node, "file": out]), global.language)
            } else {
                Console.say(Message(.hubToken, ["node": node]), global.language)
            }
            FileHandle.standardError.write(Data("  - {node: \"\(node)\", sha256: \"\(sha256)\"}\n".utf8))
            guard out == nil else { return }
            var status = stat()
            if isatty(1) == 1 {
                Console.say(Message(.hubTokenOnTerminal), global.language)
            } else if fstat(1, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_mode & 0o077 != 0 {
                // `> edu1.token` made a file others may read: the token is a password.
                if fchmod(1, 0o600) == 0 { Console.say(Message(.hubTokenFileTightened), global.language) }
            }
            Console.data(token + "\n")
        }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a hub's repositories over git's smart HTTP protocol (git http-backend), for authenticated nodes.",
        discussion: """
        Each node authenticates with HTTP basic (its name and token); an agency node reads and writes only its
        jurisdiction's repository, a Centre node all, an auditor reads the case repositories. GET /health and
        GET /status (JSON: the repositories the node may read). Stops cleanly on SIGTERM. --listen 127.0.0.1:0
        picks a free port and announces it. SIGHUP reads --config again and takes its tokens (a node added or
        removed), keeping the rest as started; a config with a problem is refused and the old tokens stay. The limits below default to the config's `serve:` entries, else
        to 20, 30 and 300 seconds and 16 connections. Requests keep their scratch files in <root>/.webjcase-scratch.
        Example: webjcase serve --root /srv/webjcase --listen 0.0.0.0:8443 --config hub.yaml --tls-cert hub.pem --tls-key hub.key
        """)
    @Option(help: "The hub's root (made by `hub init`).") var root: String
    @Option(help: "HOST:PORT to listen on.") var listen: String
    @Option(help: "The hub's config (the node tokens' hashes).") var config: String
    @Option(help: "A PEM certificate chain: serve HTTPS.") var tlsCert: String?
    @Option(help: "The PEM private key of --tls-cert.") var tlsKey: String?
    @Option(help: "Seconds a client has for a request's head, from its connection's opening or its previous answer.")
    var headerTimeout: Int?
    @Option(help: "Seconds a client may stay silent while it sends a body, or leave an answer unread.") var idleTimeout: Int?
    @Option(help: "Seconds a whole request body may take.") var bodyTimeout: Int?
    @Option(help: "Connections one client address may hold at once.") var connectionsPerClient: Int?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw CaseError(.optionInvalid, ["option": "--listen", "value": listen, "expected": "HOST:PORT, e.g. 127.0.0.1:8080"])
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw CaseError(.optionInvalid, ["option": "--tls-cert/--tls-key", "value": tlsCert ?? tlsKey ?? "", "expected": "both or neither"])
        }
        let host = String(listen[..<colon])
        let hub = try HubConfig.load(config)
        guard FileManager.default.fileExists(atPath: root) else { throw CaseError(.repoNotFound, ["path": root]) }
        let limits = try self.limits(hub)
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "webjcase.serve")
        logger.logLevel = global.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var environment = global.environment
        // The hooks call this binary; git's engine must find git's own programs.
        environment["WEBJCASE"] = currentBinary
        var options = HubServerOptions(root: URL(fileURLWithPath: root).standardizedFileURL.path, host: host, port: port, config: hub,
                                       tlsCertificate: tlsCert, tlsKey: tlsKey, environment: environment)
        options.limits = limits
        let server = HubServer(options: options, logger: logger)
        let language = global.language
        let scheme = tlsCert == nil ? "http" : "https"
        let done = DispatchSemaphore(value: 0)
        let failure = LockedValue<any Error>()
        // SIGHUP: read the config again and take its tokens (the hub's IT team adds a node).
        var hangupSet = sigset_t()
        sigemptyset(&hangupSet)
        sigaddset(&hangupSet, SIGHUP)
        sigprocmask(SIG_UNBLOCK, &hangupSet, nil)
        signal(SIGHUP, SIG_IGN)
        let configPath = config
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            do {
                let fresh = try HubConfig.load(configPath)
                server.reload(fresh)
                Console.say(Message(.hubReloaded, ["config": configPath, "count": "\(fresh.tokens.count)"]), language)
            } catch let error as CaseError {
                Console.say(Message(.hubReloadFailed, ["config": configPath], parts: ["reason": error.message]), language)
            } catch {
                Console.say(Message(.hubReloadFailed, ["config": configPath], parts: ["reason": Message(.fileUnreadable, ["file": configPath, "reason": error.localizedDescription])]), language)
            }
        }
        hangup.resume()
        defer { hangup.cancel() }
        Task {
            do {
                try await server.run { bound in
                    Console.say(Message(.hubListening, ["root": root, "scheme": scheme, "host": host, "port": "\(bound)"]), language)
                }
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = failure.value { throw error }
    }

    /// The config's limits, with the options' in their place.
    private func limits(_ hub: HubConfig) throws -> HubLimits {
        var limits = HubLimits(hub.serve)
        for (option, value, field) in [("--header-timeout", headerTimeout, \HubLimits.headerTimeout), ("--idle-timeout", idleTimeout, \.idleTimeout),
                                       ("--body-timeout", bodyTimeout, \.bodyTimeout), ("--connections-per-client", connectionsPerClient, \.connectionsPerClient)] {
            guard let value else { continue }
            guard HubConfig.ServeLimits.allowed.contains(value) else {
                throw CaseError(.optionInvalid, ["option": option, "value": "\(value)", "expected": HubConfig.ServeLimits.expected])
            }
            limits[keyPath: field] = value
        }
        return limits
    }
}

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch from the hub, validate what came, replay local steps on top, push (retrying when another node was first).",
        discussion: """
        The hub's address and this node's token file come from the node's config (set by `clone`).
        A local step that is no longer legal is set aside under refs/webjcase/conflicts/<case>/<n>, never dropped.
        Example: webjcase sync --repo edu   |   webjcase sync --watch --interval 60
        """)
    @Flag(help: "Keep syncing every --interval seconds.") var watch = false
    @Option(help: "Seconds between syncs with --watch.") var interval: Int = 60
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let repository = try global.open()
        repeat {
            try global.writing(repository, "sync") { lock in try once(repository, lock: lock) }
            if watch { Thread.sleep(forTimeInterval: TimeInterval(max(1, interval))) }
        } while watch
    }

    private func once(_ repository: CaseRepository, lock: WriteLock.Held) throws {
        let language = global.language
        let outcome: SyncRound.Outcome
        do {
            // A progress line for transfers, only on a terminal.
            let progress: ((SyncProgress) -> Void)? = isatty(2) == 1 ? { step in
                guard step.total > 0 else { return }
                let line = Message(.syncProgress, ["done": "\(step.done)", "total": "\(step.total)",
                                                   "kib": "\(step.bytes / 1024)"]).render(language)
                FileHandle.standardError.write(Data(("\r" + line + (step.done == step.total ? "\n" : "")).utf8))
            } : nil
            outcome = try SyncRound.run(repository, clock: try repository.clock(environment: global.environment), lock: lock,
                                        progress: progress)
        } catch let refused as HubHistoryRefused {
            Console.findings(refused.findings, language)
            throw CaseError(.syncHostile, [:], status: .ruleBroken)
        }
        let result = outcome.result
        if result.report.received > 0 { Console.say(Message(.syncReceived, ["count": "\(result.report.received)"]), language) }
        var counts: [String: Int] = [:]
        for caseID in result.report.replayed { counts[caseID, default: 0] += 1 }
        for (caseID, count) in counts.sorted(by: { $0.key < $1.key }) {
            Console.data("\(caseID) pushed \(count)\n")
            Console.say(Message(.syncCase, ["case": caseID, "count": "\(count)"]), language)
        }
        for conflict in result.report.conflicts {
            Console.data("\(conflict.caseID) conflict \(conflict.ref)\n")
            Console.say(Message(.syncConflict, ["case": conflict.caseID, "ref": conflict.ref]), language)
            Console.findings(conflict.findings, language)
        }
        Console.say(result.pushed ? Message(.syncPushed, ["retries": "\(result.retries)"]) : Message(.syncUpToDate), language)
        if let skew = outcome.clockSkew {
            Console.say(Message(.syncClockSkew, ["skew": "\(skew.seconds)", "tolerance": "\(skew.tolerance)"]), language)
        }
        let fresh = outcome.trust
        Console.say(Message(.syncTrust, [
            "version": "\(fresh.policyVersion)", "since": fresh.policySince.map { Timestamp($0).text } ?? "—",
            "years": fresh.calendarYears.map(String.init).joined(separator: ", "),
            "crls": fresh.revocationLists.isEmpty ? "—" : fresh.revocationLists.map { "\($0.name) (\($0.nextUpdate.map { Timestamp($0).text } ?? "—"))" }
                .joined(separator: ", ")]), language)
        if outcome.personal.received + outcome.personal.sent > 0 {
            Console.say(Message(.syncPersonal, ["received": "\(outcome.personal.received)", "sent": "\(outcome.personal.sent)"]), language)
        }
        switch outcome.packs {
        case .untouched: break
        case .repacked(let count): Console.say(Message(.syncPacks, ["count": "\(count)"]), language)
        case .failed(let count, let error):
            Console.say(Message(.syncPacksFailed, ["count": "\(count)", "detail": error.message.render(language)]), language)
        }
        if !result.report.conflicts.isEmpty { throw ExitCode(ExitStatus.conflict.rawValue) }
    }
}

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the local steps sync set aside, and why; drop one on request.",
        discussion: "Example: webjcase conflicts   |   webjcase conflicts --drop refs/webjcase/conflicts/REG-2026-edu1-0001/1")
    @Option(help: "Drop this set-aside step (its ref).") var drop: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let repository = try global.open()
        if let drop { return try global.writing(repository, "conflicts --drop") { lock in try repository.dropConflict(drop, lock: lock) } }
        let conflicts = try repository.conflicts()
        if conflicts.isEmpty { return Console.say(Message(.conflictsNone), global.language) }
        let clock = try repository.clock(environment: global.environment)
        for conflict in conflicts {
            Console.data("\(conflict.ref)  \(conflict.caseID)  \(conflict.action)  \(conflict.commit.prefix(12))\n")
            // Why: the step judged again on today's main.
            let findings = try repository.validateConflict(conflict.ref, clock: clock)
            Console.findings(findings, global.language)
        }
    }
}
