import Foundation
import CaseStore
internal import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// What `clone` needs to know.
public struct CloneOptions: Sendable {
    public var url: String
    public var directory: String
    public var node: String
    /// The fingerprint of the repository's first policy, obtained from the Centre out of band.
    public var pin: String
    public var keyPath: String
    public var bare: Bool
    public var binary: String
    /// A file holding this node's token for the hub (HTTP basic: the node's name and it).
    public var tokenFile: String?

    public init(url: String, directory: String, node: String, pin: String, keyPath: String, bare: Bool, binary: String,
                tokenFile: String? = nil) {
        self.tokenFile = tokenFile
        self.url = url
        self.directory = directory
        self.node = node
        self.pin = pin
        self.keyPath = keyPath
        self.bare = bare
        self.binary = binary
    }
}

extension CaseRepository {
    /// Clones a case repository and makes it a node: the first policy must match the
    /// pinned fingerprint, the whole history must verify, and the node must be in the
    /// policy with this key. On any failure nothing is left behind.
    public static func clone(_ options: CloneOptions) throws -> (repository: CaseRepository, commits: Int) {
        try requireShortName(options.node, option: "--node")
        let target = try NewDirectory(options.directory)
        let hex = options.pin.dropFirst(7)
        guard options.pin.hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy({ "0123456789abcdef".contains($0) }) else {
            throw CaseError(.optionInvalid, ["option": "--pin", "value": options.pin, "expected": "sha256: and 64 lowercase hex digits, as init printed it"])
        }

        let keyPath = URL(fileURLWithPath: options.keyPath).standardizedFileURL.path
        let key = try loadKey(keyPath)
        let git: Repository
        do {
            let token = try options.tokenFile.map { String(decoding: try readInputFile($0), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            git = try Repository.clone(from: options.url, to: options.directory, bare: options.bare,
                                       credentials: token.map { RemoteCredentials(user: options.node, password: $0) })
        } catch let error as GitError {
            target.discard()
            throw CaseError(.repoUnreachable, ["url": options.url, "detail": error.message], status: .unreachable)
        }
        do {
            let repository = CaseRepository(git: git, location: options.directory)
            let head = try repository.headID()
            guard let first = try git.walk(from: [head], oldestFirst: true).first else {
                throw CaseError(.repoNotCaseRepository, ["path": options.url, "missing": Self.mainRef])
            }
            let firstSettings = try Snapshot(git: git, commit: first).settings()
            guard firstSettings.policyFingerprint == options.pin else {
                throw CaseError(.policyPinMismatch, ["found": firstSettings.policyFingerprint, "pin": options.pin], status: .ruleBroken)
            }
            let (count, verdict) = try repository.verifyHistory()
            guard verdict.isAccepted else { throw RuleViolation(verdict.findings) }
            let settings = try repository.settings()
            try requireNode(options.node, key: key, keys: settings.keys, jurisdiction: settings.config.jurisdiction,
                            policyFile: "trust/policy.yaml")
            try git.setConfig("webjcase.node", options.node)
            try git.setConfig("webjcase.key", keyPath)
            try git.setConfig("webjcase.hub", options.url)
            if let tokenFile = options.tokenFile {
                try git.setConfig("webjcase.tokenFile", URL(fileURLWithPath: tokenFile).standardizedFileURL.path)
            }
            try git.setConfig("webjcase.jurisdiction", settings.config.jurisdiction)
            try git.setConfig("webjcase.policy", options.pin)
            try installHooks(gitDirectory: git.gitDirectory, binary: options.binary)
            return (repository, count)
        } catch {
            target.discard()
            if let error = error as? GitError { throw CaseError(.repoGit, ["detail": error.description]) }
            throw error
        }
    }
}
