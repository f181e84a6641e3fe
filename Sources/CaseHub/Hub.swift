import Foundation
import CaseStore
internal import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// A hub's configuration (`webjcase hub init --config FILE`, `webjcase serve --config FILE`):
/// the jurisdictions it holds, who makes their first commits, the key that signs
/// receipts, and each node's token as a sha256 (never the token).
public struct HubConfig: Sendable, Codable, Equatable {
    public var kind: String
    public var format: Int
    /// The first policy of every jurisdiction (a path relative to the config file).
    public var policy: String
    /// The Centre node that makes each repository's first commit, and its key.
    public var node: String
    public var key: String
    /// The hub's own key: it signs receipts and nothing else (role `hub` in the policy).
    public var hubKey: String
    public var jurisdictions: [Jurisdiction]
    public var tokens: [Token]
    /// `serve`'s limits; optional, as is each of its fields (a missing one takes its default).
    public var serve: ServeLimits?

    /// The config's keys: the decoder's, and those `load` names when missing or unknown
    /// (a field added here is known to both).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, format, policy, node, key, hubKey, jurisdictions, tokens, serve
        var isRequired: Bool { self != .serve }
    }

    public struct Jurisdiction: Sendable, Codable, Equatable {
        public var id: String
        /// The competent authority's name, e.g. `臺南市政府教育局`.
        public var name: String
    }

    /// How long `serve` waits for a client, and how many connections one client may hold.
    public struct ServeLimits: Sendable, Codable, Equatable {
        /// Seconds from a connection's opening (or its previous answer) to a request's complete head.
        public var headerTimeout: Int?
        /// Seconds a client may stay silent while it sends a body, or leave an answer unread.
        public var idleTimeout: Int?
        /// Seconds a whole request body may take.
        public var bodyTimeout: Int?
        /// Connections one client address may hold at once.
        public var connectionsPerClient: Int?

        /// What each of them may be (seconds, or connections), and how an error says it.
        public static let allowed = 1...86_400
        public static let expected = "a whole number from 1 to 86400"

        public init(headerTimeout: Int? = nil, idleTimeout: Int? = nil, bodyTimeout: Int? = nil, connectionsPerClient: Int? = nil) {
            self.headerTimeout = headerTimeout
            self.idleTimeout = idleTimeout
            self.bodyTimeout = bodyTimeout
            self.connectionsPerClient = connectionsPerClient
        }
    }

    public struct Token: Sendable, Codable, Equatable {
        /// The node (an identity of the policy) the token authenticates.
        public var node: String
        /// Lowercase hex sha256 of the token.
        public var sha256: String
    }

    /// Reads and checks a hub configuration; relative paths are resolved against its directory.
    /// Every problem of a config is reported at once: first every missing or unknown
    /// top-level key, else every value out of place and every file it names that is not there.
    public static func load(_ file: String) throws -> HubConfig {
        let data = try readInputFile(file, limit: StrictYAMLReader.maximumBytes)
        let required = CodingKeys.allCases.filter(\.isRequired).map(\.rawValue)
        if case .mapping(let pairs, _)? = try? StrictYAMLReader.read(data) {
            var problems: [Message] = []
            let present = Set(pairs.map(\.key))
            for key in required where !present.contains(key) {
                problems.append(Message(.configProblemMissingKey, ["file": file, "key": key, "template": "hub"]))
            }
            let allowed = Set(CodingKeys.allCases.map(\.rawValue))
            let list = allowed.sorted().map { "`\($0)`" }.joined(separator: ", ")
            for pair in pairs where !allowed.contains(pair.key) {
                let closest = KeySpelling.closest(to: pair.key, among: allowed)
                problems.append(closest.map {
                    Message(.yamlUnknownKeyClosest, ["file": file, "line": "\(pair.keyLine)", "key": pair.key, "closest": $0, "allowed": list])
                } ?? Message(.yamlUnknownKey, ["file": file, "line": "\(pair.keyLine)", "key": pair.key, "allowed": list]))
            }
            try throwAll(problems, file: file)
        }
        var config = try StrictYAML.decode(HubConfig.self, from: data, file: file)
        var problems: [Message] = []
        func invalid(_ field: String, _ value: String, _ expected: String) {
            problems.append(Message(.configValueInvalid, ["file": file, "field": field, "found": value, "expected": expected]))
        }
        if config.kind != "hub" { invalid("kind", config.kind, "hub") }
        if config.format != formatVersion { invalid("format", "\(config.format)", "\(formatVersion)") }
        if config.jurisdictions.isEmpty { invalid("jurisdictions", "[]", "at least one jurisdiction") }
        var seen = Set<String>()
        for jurisdiction in config.jurisdictions where !NodeName.isValid(jurisdiction.id) || !seen.insert(jurisdiction.id).inserted {
            invalid("jurisdictions.id", jurisdiction.id, "distinct short names: 2 to 16 lowercase letters and digits")
        }
        var nodes = Set<String>()
        for token in config.tokens {
            let hex = token.sha256
            if hex.count != 64 || !hex.allSatisfy({ "0123456789abcdef".contains($0) }) {
                invalid("tokens.sha256", hex, "the lowercase hex sha256 of the token (`webjcase hub token NODE` prints it)")
            }
            if !nodes.insert(token.node).inserted { invalid("tokens.node", token.node, "one token per node") }
        }
        if let limits = config.serve {
            for (field, value) in [("serve.headerTimeout", limits.headerTimeout), ("serve.idleTimeout", limits.idleTimeout),
                                   ("serve.bodyTimeout", limits.bodyTimeout), ("serve.connectionsPerClient", limits.connectionsPerClient)] {
                guard let value, !ServeLimits.allowed.contains(value) else { continue }
                invalid(field, "\(value)", ServeLimits.expected)
            }
        }
        let base = (file as NSString).deletingLastPathComponent
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(path)
        }
        config.policy = resolve(config.policy)
        config.key = resolve(config.key)
        config.hubKey = resolve(config.hubKey)
        for (field, path, make) in [("policy", config.policy, "webjcase trust new-policy … --out \(path(config.policy))"),
                                    ("key", config.key, "webjcase keys new \(path(config.key))"),
                                    ("hubKey", config.hubKey, "webjcase keys new \(path(config.hubKey))")]
        where !FileManager.default.fileExists(atPath: path) {
            problems.append(Message(.configFileMissing, ["file": file, "field": field, "path": path, "make": make]))
        }
        try throwAll(problems, file: file)
        return config
    }

    /// A path as a person typed it, without the `./` resolving added.
    private static func path(_ resolved: String) -> String { resolved.hasPrefix("./") ? String(resolved.dropFirst(2)) : resolved }

    /// One problem as itself; several as one list.
    private static func throwAll(_ problems: [Message], file: String) throws {
        guard let first = problems.first else { return }
        guard problems.count > 1 else { throw CaseError(first, status: .badInput) }
        throw CaseError(Message(.configProblems, ["file": file, "count": "\(problems.count)"], lists: ["list": problems]), status: .badInput)
    }
}

/// A hub: `<root>/<jurisdiction>.git` and `<root>/<jurisdiction>.personal.git` per jurisdiction.
public enum Hub {
    /// What `hub init` made.
    public struct Made: Sendable {
        public let jurisdiction: String
        public let path: String
        public let commit: String
        public let policyFingerprint: String
    }

    /// Makes the hub's repositories: each case repository from the template with the
    /// hooks and git's receive checks, and its personal store. Checked before anything is
    /// written; on failure nothing is left.
    public static func initialize(root: String, config: HubConfig, binary: String, clock: any CaseClock) throws -> [Made] {
        let target = try NewDirectory(root)
        let hubKey = try loadKey(config.hubKey)
        let (_, keys) = try PolicyFile.check(try readInputFile(config.policy), file: config.policy)
        guard let identity = keys.identity(for: hubKey.publicKey.fingerprint), identity.roles.contains(.hub) else {
            throw CaseError(.hubKeyNotInPolicy, ["file": config.policy, "key": config.hubKey, "fingerprint": hubKey.publicKey.fingerprint])
        }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            var made: [Made] = []
            for jurisdiction in config.jurisdictions {
                let path = HubLayout(root: root).caseRepository(jurisdiction.id)
                let repository = try CaseRepository.initialize(
                    InitOptions(directory: path, jurisdiction: jurisdiction.id, name: jurisdiction.name, node: config.node,
                                policyFile: config.policy, keyPath: config.key, bare: true, binary: binary),
                    clock: clock)
                let git = try Repository(path: path)
                let limits = try CaseRepository(path: path).settings().config.attachments
                // A push may carry several steps' attachments (a node's offline backlog).
                try git.setConfig("receive.maxInputSize", "\(limits.maxCommitBytes * Hub.pushCommits)")
                try git.setConfig("webjcase.hubKey", URL(fileURLWithPath: config.hubKey).standardizedFileURL.path)
                // git's automatic gc after pushes consolidates packs once there are more than
                // this many (git's default is 50): an auditor's `verify` reads history spread
                // over few packs (docs/performance.md: memory grows with their number).
                try git.setConfig("gc.autoPackLimit", "8")
                let personal = HubLayout(root: root).personalStore(jurisdiction.id)
                let store = try Repository.create(at: personal, bare: true)
                for key in ["receive.fsckObjects", "receive.denyNonFastForwards", "receive.denyDeletes"] {
                    try store.setConfig(key, "true")
                }
                // A push of entries is small: git refuses a larger pack before the hook runs.
                try store.setConfig("receive.maxInputSize", "\(Hub.personalMaxInputSize)")
                try installPersonalHook(gitDirectory: store.gitDirectory, binary: binary)
                made.append(Made(jurisdiction: jurisdiction.id, path: repository.path, commit: repository.commit,
                                 policyFingerprint: repository.policyFingerprint))
            }
            return made
        } catch {
            target.discard()
            if let error = error as? GitError { throw CaseError(.repoGit, ["detail": error.description]) }
            throw error
        }
    }

    /// The personal store's pre-receive hook (`PersonalPushCheck`): it runs the binary, so a
    /// hub's stores follow the binary's checks as it is upgraded.
    static func installPersonalHook(gitDirectory: String, binary: String) throws {
        let hooks = (gitDirectory as NSString).appendingPathComponent("hooks")
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let path = (hooks as NSString).appendingPathComponent("pre-receive")
        let quoted = "'" + binary.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let script = "#!/bin/sh\n# webjcase: a personal store takes only signed commits of new entries that open their commitments.\nexec \(quoted) hook personal-pre-receive \"$@\"\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// How many commits' worth of attachments one push may carry (`receive.maxInputSize`).
    public static let pushCommits = 4

    /// `receive.maxInputSize` of a personal store: 64 MiB, some hundred thousand entries
    /// (each at most 64 KiB, a few hundred bytes in practice).
    public static let personalMaxInputSize = 64 << 20

    /// A fresh token for a node, and the sha256 the hub's config keeps.
    public static func makeToken() -> (token: String, sha256: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let token = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (token, Digest.sha256Hex(Data(token.utf8)))
    }
}
