import Foundation
package import GitKit
import CaseModel
import CaseSigning
import CaseRules

/// Derived state for `status`, `org` and `due`: one row per case, kept in
/// `<git dir>/webjcase/cases-v1.tsv` and always rebuildable from the tree. The file names
/// the commit it was derived for, and each row the object id of the case's directory tree.
/// Read for that commit, it is the answer; for a later commit, only the cases whose
/// directories differ between the two trees are derived again; for a commit the repository
/// does not have, every row whose tree differs from the case's is derived again, a case
/// missing from the file is added and a row of a case not in the tree dropped. A file that
/// does not read back exactly (format, checksum) is ignored and rewritten. `verify` never
/// reads it; `step` and pushes take the organizations' cases from it (their states are
/// read from the tree).
package struct CaseIndex {
    struct Row: Sendable, Equatable {
        let id: CaseID
        let tree: ObjectID
        let organization: String
        let jurisdiction: String
        let state: String
        let steps: Int
        let lastAction: String
        let lastAt: String
        /// Whether `due` has something to say about it (a correction, an audit's
        /// deadline, enforcement under way).
        let watched: Bool

        var summary: CaseSummary {
            CaseSummary(id: id.description, kind: id.kind.rawValue, organization: organization, jurisdiction: jurisdiction,
                        state: state, steps: steps, lastAction: lastAction, lastAt: lastAt)
        }
    }

    static let header = "webjcase-case-index 1"
    /// How many cases the validator's organizations may be behind the file before the
    /// file is brought up to date (and written) instead.
    static let rewriteAfter = 16
    let rows: [CaseID: Row]

    /// The rows for `snapshot`'s tree, bringing the stored file up to date. A file written
    /// for this very commit is taken as it is; one written for another commit is brought to
    /// this one by comparing the two `cases/` trees by object id (only the cases whose
    /// directory changed are derived again); without one, every case is derived.
    static func current(_ snapshot: Snapshot, commit: ObjectID) throws -> CaseIndex {
        let git = snapshot.git
        let path = (git.gitDirectory as NSString).appendingPathComponent("webjcase/cases-v1.tsv")
        let stored = load(path)
        if let stored, stored.commit == commit { return CaseIndex(rows: stored.rows) }
        var rows: [CaseID: Row] = [:]
        if let stored, (try? git.commit(stored.commit)) != nil {
            rows = stored.rows
            // nil here: the tree has no cases at all.
            let touched = try changedCases(git, from: stored.commit, to: snapshot) ?? Set(rows.keys)
            for id in touched {
                rows[id] = nil
                guard let entry = try snapshot.git.entry(at: id.directory, inTree: snapshot.tree), entry.mode.isTree else { continue }
                rows[id] = try row(id, tree: entry.id, snapshot: snapshot)
            }
        } else {
            rows.reserveCapacity(stored?.rows.count ?? 0)
            for year in try snapshot.names("cases") where year.mode.isTree {
                for node in try snapshot.names("cases/\(year.name)") where node.mode.isTree {
                    for entry in try snapshot.names("cases/\(year.name)/\(node.name)") where entry.mode.isTree {
                        guard let id = CaseID(entry.name) else { continue }
                        if let known = stored?.rows[id], known.tree == entry.id {
                            rows[id] = known
                        } else if let row = try row(id, tree: entry.id, snapshot: snapshot) {
                            rows[id] = row
                        }
                    }
                }
            }
        }
        save(rows, commit: commit, to: path)
        return CaseIndex(rows: rows)
    }

    /// A snapshot of `commit` whose cache knows the tree's organizations from the index,
    /// and the index: what `status`, `org`, `due`, `step` and pushes start from.
    static func indexed(_ git: Repository, at commit: ObjectID) throws -> (snapshot: Snapshot, index: CaseIndex, cache: SnapshotCache) {
        let cache = SnapshotCache()
        let snapshot = try Snapshot(git: git, commit: commit, cache: cache)
        let index = try current(snapshot, commit: commit)
        cache.organizations = (try snapshot.id("cases"), index.organizations)
        return (snapshot, index, cache)
    }

    /// A cache for the validator at `commit` that knows the tree's organizations: what
    /// `step`, pushes and `sync` start from. Only the case ids and organizations are read
    /// from the file, and for a file a few cases behind, only those cases' `case.yaml`
    /// from the tree; otherwise the index is brought up to date as `indexed` does.
    package static func organizationsCache(_ git: Repository, at commit: ObjectID) throws -> SnapshotCache {
        let cache = SnapshotCache()
        let snapshot = try Snapshot(git: git, commit: commit, cache: cache)
        let path = (git.gitDirectory as NSString).appendingPathComponent("webjcase/cases-v1.tsv")
        if let stored = load(path, organizationsOnly: true), var organizations = stored.organizations,
           let touched = try changedCases(git, from: stored.commit, to: snapshot), touched.count < rewriteAfter {
            for id in touched {
                organizations[id] = try snapshot.caseFile(id.directory + "/case.yaml")?.file.organization
            }
            var index: [String: Set<CaseID>] = [:]
            for (id, organization) in organizations { index[organization, default: []].insert(id) }
            cache.organizations = (try snapshot.id("cases"), index)
            return cache
        }
        return try indexed(git, at: commit).cache
    }

    /// The cases whose directories differ between `commit`'s tree and `snapshot`'s; nil
    /// when `commit` is not in the repository or `snapshot`'s tree holds no cases.
    private static func changedCases(_ git: Repository, from commit: ObjectID, to snapshot: Snapshot) throws -> Set<CaseID>? {
        guard let from = try? git.commit(commit).tree else { return nil }
        if from == snapshot.tree { return [] }
        let old = try git.entry(at: "cases", inTree: from).flatMap { $0.mode.isTree ? $0.id : nil }
        guard let new = try git.entry(at: "cases", inTree: snapshot.tree).flatMap({ $0.mode.isTree ? $0.id : nil }) else { return nil }
        var touched = Set<CaseID>()
        for change in try git.changes(from: old, to: new) {
            let parts = change.path.split(separator: "/", maxSplits: 3)
            if parts.count >= 3, let id = CaseID(String(parts[2])) { touched.insert(id) }
        }
        return touched
    }

    /// The organizations' index of the same tree, for a snapshot cache.
    var organizations: [String: Set<CaseID>] {
        var index: [String: Set<CaseID>] = [:]
        for row in rows.values { index[row.organization, default: []].insert(row.id) }
        return index
    }

    private static func row(_ id: CaseID, tree: ObjectID, snapshot: Snapshot) throws -> Row? {
        guard let state = try snapshot.caseState(id) else { return nil }
        let stage = Workflow.stage(id.kind, after: state.history)
        let last = state.lastStep
        let watched: Bool
        switch (id.kind, stage) {
        case (_, .initialCorrection?), (_, .secondaryCorrection?), (.enforcement, .improving?), (.enforcement, .terminating?):
            watched = true
        case (.audit, .closed?):
            if case .auditClose(let close)? = last?.data { watched = close.result == .improvementRequired && close.deadline != nil } else { watched = false }
        default:
            watched = false
        }
        return Row(id: id, tree: tree, organization: state.caseFile.organization, jurisdiction: state.caseFile.jurisdiction,
                   state: stage?.rawValue ?? last?.action.resultingState ?? "opened", steps: last?.sequence ?? 0,
                   lastAction: last?.action.rawValue ?? "", lastAt: last?.at.text ?? "", watched: watched)
    }

    // MARK: The file

    /// Reads the file back, or nil when it is not exactly what `save` writes (a byte-level
    /// reader: ten thousand rows in a few milliseconds).
    private static func load(_ path: String, organizationsOnly: Bool = false)
        -> (commit: ObjectID, rows: [CaseID: Row], organizations: [CaseID: String]?)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> (commit: ObjectID, rows: [CaseID: Row], organizations: [CaseID: String]?)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            // The last line: "sha256 <hex>\n", over everything before its line break.
            guard bytes.count > 8, bytes[bytes.count - 1] == 0x0A else { return nil }
            var cut = bytes.count - 2
            while cut >= 0 && bytes[cut] != 0x0A { cut -= 1 }
            guard cut > 0 else { return nil }
            let check = String(decoding: UnsafeBufferPointer(rebasing: bytes[(cut + 1)..<(bytes.count - 1)]), as: UTF8.self)
            let body = UnsafeBufferPointer(rebasing: bytes[0..<cut])
            guard check == "sha256 " + Digest.sha256Hex(Data(body)) else { return nil }
            var rows: [CaseID: Row] = [:]
            var organizations: [CaseID: String] = [:]
            if organizationsOnly { organizations.reserveCapacity(body.count / 120) } else { rows.reserveCapacity(body.count / 120) }
            var lineStart = 0
            var commit: ObjectID?
            while lineStart <= body.count {
                var lineEnd = lineStart
                while lineEnd < body.count && body[lineEnd] != 0x0A { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: body[lineStart..<lineEnd])
                if commit == nil {
                    let text = String(decoding: line, as: UTF8.self)
                    guard text.hasPrefix(header + " "), let named = ObjectID(hex: String(text.dropFirst(header.count + 1))) else { return nil }
                    commit = named
                } else if organizationsOnly {
                    // The case id and the organization (fields 1 and 3 of 9), nothing else made.
                    var tabs = (0, 0, 0), count = 0
                    for index in 0..<line.count where line[index] == 0x09 {
                        switch count {
                        case 0: tabs.0 = index
                        case 1: tabs.1 = index
                        case 2: tabs.2 = index
                        default: break
                        }
                        count += 1
                    }
                    guard count == 8, let id = CaseID(utf8: UnsafeBufferPointer(rebasing: line[0..<tabs.0])) else { return nil }
                    organizations[id] = String(decoding: UnsafeBufferPointer(rebasing: line[(tabs.1 + 1)..<tabs.2]), as: UTF8.self)
                } else {
                    var fields: [String] = []
                    fields.reserveCapacity(9)
                    var fieldStart = 0
                    for index in 0...line.count where index == line.count || line[index] == 0x09 {
                        fields.append(String(decoding: UnsafeBufferPointer(rebasing: line[fieldStart..<index]), as: UTF8.self))
                        fieldStart = index + 1
                    }
                    guard fields.count == 9, let id = CaseID(fields[0]), let tree = ObjectID(hex: fields[1]), let steps = Int(fields[6]) else { return nil }
                    rows[id] = Row(id: id, tree: tree, organization: fields[2], jurisdiction: fields[3], state: fields[4], steps: steps,
                                   lastAction: fields[5], lastAt: fields[7], watched: fields[8] == "1")
                }
                lineStart = lineEnd + 1
            }
            guard let commit else { return nil }
            return (commit, rows, organizationsOnly ? organizations : nil)
        }
    }

    private static func save(_ rows: [CaseID: Row], commit: ObjectID, to path: String) {
        // Bytes, not strings joined: ten thousand rows in a few milliseconds.
        var body: [UInt8] = Array("\(header) \(commit.hex)".utf8)
        body.reserveCapacity(rows.count * 160)
        for id in rows.keys.sorted() {
            guard let row = rows[id] else { continue }
            let fields = [row.id.description, row.tree.hex, row.organization, row.jurisdiction, row.state, row.lastAction,
                          "\(row.steps)", row.lastAt, row.watched ? "1" : "0"]
            // Values come from checked documents; a tab or newline would break the row, so such a row is left out
            // (it is derived again next time).
            guard fields.allSatisfy({ $0.utf8.allSatisfy { $0 != 0x09 && $0 != 0x0A } }) else { continue }
            body.append(0x0A)
            for (index, field) in fields.enumerated() {
                if index > 0 { body.append(0x09) }
                body.append(contentsOf: field.utf8)
            }
        }
        var file = Data(body)
        file.append(contentsOf: Array("\nsha256 \(Digest.sha256Hex(Data(body)))\n".utf8))
        // Derived data: a repository this process may not write to still answers, from the tree.
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let folder = (path as NSString).deletingLastPathComponent
        // What a killed writer (the hook takes no lock) may have left beside it.
        AtomicFile.sweep(folder)
        try? AtomicFile.write(file, to: path)
    }
}
