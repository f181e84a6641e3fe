import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// What `init` made.
public struct InitializedRepository: Sendable {
    public let path: String
    public let commit: String
    public let policyFingerprint: String
}

/// What `init` needs to know.
public struct InitOptions: Sendable {
    public var directory: String
    public var jurisdiction: String
    public var name: String
    public var node: String
    public var policyFile: String
    public var keyPath: String
    public var bare: Bool
    /// The binary the installed hooks call.
    public var binary: String
    /// More files for the first commit under `trust/` (certificate roots, revocation
    /// lists), as `trust/roots/<name>.pem` or `trust/crl/<name>.crl`.
    public var trustFiles: [(path: String, data: Data)] = []

    public init(directory: String, jurisdiction: String, name: String, node: String, policyFile: String,
                keyPath: String, bare: Bool, binary: String) {
        self.directory = directory
        self.jurisdiction = jurisdiction
        self.name = name
        self.node = node
        self.policyFile = policyFile
        self.keyPath = keyPath
        self.bare = bare
        self.binary = binary
    }
}

extension CaseRepository {
    /// Makes a case repository: the template, the policy and the calendar in a first
    /// commit signed by the node; the node's config in the git directory; the hooks.
    /// Everything is checked before the directory is created, and a failure after that
    /// removes what was made.
    public static func initialize(_ options: InitOptions, clock: any CaseClock) throws -> InitializedRepository {
        for (option, value) in [("--jurisdiction", options.jurisdiction), ("--node", options.node)] {
            try requireShortName(value, option: option)
        }
        let directory = (options.directory as NSString).standardizingPath
        let target = try NewDirectory(options.directory)
        let policyBytes = try readInputFile(options.policyFile, limit: StrictYAMLReader.maximumBytes)
        let (_, keys) = try PolicyFile.check(policyBytes, file: options.policyFile)
        let keyPath = URL(fileURLWithPath: options.keyPath).standardizedFileURL.path
        let key = try loadKey(keyPath)
        try requireNode(options.node, key: key, keys: keys, jurisdiction: options.jurisdiction, policyFile: options.policyFile)
        guard let templateConfig = Template.file("webjcase.yaml") else {
            throw CaseError(.repoNotCaseRepository, ["path": "repo-template", "missing": "webjcase.yaml"])
        }
        var config = try StrictYAML.decode(RepositoryConfig.self, from: templateConfig, file: "repo-template/webjcase.yaml")
        config.jurisdiction = options.jurisdiction
        config.name = options.name
        var files: [(String, Data)] = Template.repositoryFiles.filter { $0.path != "webjcase.yaml" && $0.path != "trust/policy.yaml" }
        files.append(("webjcase.yaml", try DocumentWriter.yaml(config)))
        files.append(("trust/policy.yaml", policyBytes))
        for file in options.trustFiles {
            switch RepositoryPath(file.path) {
            case .root, .issuingCA, .crl: files.append((file.path, file.data))
            default: throw CaseError(.optionInvalid, ["option": "trust file", "value": file.path,
                                                      "expected": "trust/roots/<name>.pem, trust/ca/<name>.pem or trust/crl/<name>.crl"])
            }
        }
        if let signature = FileManager.default.contents(atPath: options.policyFile + ".sig") {
            files.append(("trust/policy.yaml.sig", signature))
        }

        do {
            let git: Repository
            do {
                git = try Repository.create(at: directory, bare: options.bare)
            } catch let error as GitError {
                throw CaseError(.repoGit, ["detail": error.description])
            }
            var changes: [TreeChange] = []
            for (path, data) in files {
                changes.append(.set(path: path, id: try git.writeBlob(data), mode: .blob))
            }
            let tree = try git.buildTree(base: nil, changes: changes)
            let fingerprint = Digest.prefixed(policyBytes)
            let message = NodeCommitWriter.message("Initialize the case repository of \(options.jurisdiction)",
                                                   trailers: [("Jurisdiction", options.jurisdiction), ("Policy", fingerprint)])
            let commit = try NodeCommitWriter.commit(in: git, tree: tree, parent: nil, message: message,
                                                     author: .node(options.node, jurisdiction: options.jurisdiction),
                                                     time: clock.now(), key: key)
            try git.updateReference(mainRef, to: commit, expected: nil, message: "webjcase init")
            try git.setConfig("webjcase.node", options.node)
            try git.setConfig("webjcase.key", keyPath)
            try git.setConfig("webjcase.jurisdiction", options.jurisdiction)
            try git.setConfig("webjcase.policy", fingerprint)
            if options.bare {
                // git's own checks before the hooks: malformed objects, rewrites, deletions.
                for key in ["receive.fsckObjects", "receive.denyNonFastForwards", "receive.denyDeletes"] {
                    try git.setConfig(key, "true")
                }
            }
            try installHooks(gitDirectory: git.gitDirectory, binary: options.binary)
            if !options.bare {
                try git.checkout(tree: tree, baseline: nil)
            }
            return InitializedRepository(path: directory, commit: commit.hex, policyFingerprint: fingerprint)
        } catch {
            target.discard()
            if let error = error as? GitError { throw CaseError(.repoGit, ["detail": error.description]) }
            throw error
        }
    }

    /// Node and jurisdiction names: they appear in paths, case ids and committer addresses.
    package static func requireShortName(_ value: String, option: String) throws {
        guard !NodeName.isValid(value) else { return }
        throw CaseError(.optionInvalid, ["option": option, "value": value,
                                         "expected": "2 to 16 lowercase letters and digits, starting with a letter"])
    }


    /// `node` is a node the policy allows in `jurisdiction`, and `key` is its key.
    package static func requireNode(_ node: String, key: SigningKey, keys: PolicyKeys, jurisdiction: String, policyFile: String) throws {
        guard let entry = keys.byFingerprint.values.first(where: { $0.identity.name == node }), entry.identity.revoked == nil,
              entry.identity.maySignCommits(in: jurisdiction) else {
            throw CaseError(.policyNodeMissing, ["file": policyFile, "node": node])
        }
        guard key.publicKey == entry.key else {
            throw CaseError(.policyNodeKeyMismatch, ["fingerprint": key.publicKey.fingerprint, "node": node,
                                                     "expected": entry.key.fingerprint])
        }
    }

    /// Writes the hook scripts into `<git dir>/hooks`, executable, calling `binary`.
    package static func installHooks(gitDirectory: String, binary: String) throws {
        let hooks = (gitDirectory as NSString).appendingPathComponent("hooks")
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        for (name, _) in Template.hookScripts {
            guard let script = Template.hookScript(name, binary: binary) else { continue }
            let path = (hooks as NSString).appendingPathComponent(name)
            try script.write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }
}

/// A directory about to be filled (a repository, a test PKI): it must not exist or be
/// empty; on failure `discard` removes what was made, but keeps a directory the person
/// made beforehand (empty), so that nothing is left half-written.
public struct NewDirectory: Sendable {
    public let path: String
    private let existed: Bool

    public init(_ path: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path), !((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false) {
            throw CaseError(.repoExists, ["path": path])
        }
        self.path = path
        existed = fm.fileExists(atPath: path)
    }

    public func discard() {
        let fm = FileManager.default
        if existed {
            for item in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
                try? fm.removeItem(atPath: (path as NSString).appendingPathComponent(item))
            }
        } else {
            try? fm.removeItem(atPath: path)
        }
    }
}
