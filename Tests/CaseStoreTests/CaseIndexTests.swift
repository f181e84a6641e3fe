import Foundation
import Testing
import CaseModel
import CaseSigning
import GitKit
import TestSupport
@testable import CaseStore

/// The derived index under `.git/webjcase/`: written by `status`, brought up to date as the
/// tree moves, and never believed where it does not read back or does not match the tree.
@Suite struct CaseIndexTests {
    let w: Workspace
    let file: String

    init() throws {
        w = try Workspace()
        try w.initRepository()
        for arguments in [["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"],
                          ["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"],
                          ["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"]] {
            let result = try w.webjcase(arguments)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
        file = w.directory.file("edu.git/webjcase/cases-v1.tsv")
    }

    func states() throws -> [String] {
        try CaseRepository(path: w.directory.file("edu.git")).status().map { "\($0.id) \($0.state) \($0.steps)" }
    }

    @Test func statusWritesTheIndexAndFollowsTheTree() throws {
        // Status (and the validator's organizations) start from the file of an earlier
        // commit and derive again only the cases whose directories changed since.
        #expect(try states() == ["REG-2026-edu1-0001 submitted 2", "REG-2026-edu1-0002 opened 1"])
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("webjcase-case-index 1 "))
        #expect(text.contains("\nsha256 "))
        // A new step: the row of that case is derived again, the other kept.
        #expect(try w.webjcase(["step", "REG-2026-edu1-0002", "submit", "--data", "submit.yaml", "--key", "chen.clerk", "--repo", "edu.git"]).status == 0)
        #expect(try states() == ["REG-2026-edu1-0001 submitted 2", "REG-2026-edu1-0002 submitted 2"])
    }

    /// `step` and pushes take only the organizations from the file, and from a file a few
    /// commits behind, the organizations of the cases opened since from the tree.
    @Test func theValidatorSeesCasesOpenedSinceTheFileWasWritten() throws {
        #expect(try states().count == 2)
        let written = try String(contentsOfFile: file, encoding: .utf8)
        for organization in ["11111111", "22222222"] {
            let opened = try w.webjcase(["case", "open", "REG", "--org", organization, "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
            #expect(opened.status == 0, "\(opened)")
        }
        // Still the file of the earlier commit: the two new cases are not in it.
        #expect(try String(contentsOfFile: file, encoding: .utf8) == written)
        for organization in ["12345678", "11111111"] {
            let again = try w.webjcase(["case", "open", "REG", "--org", organization, "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu.git"])
            #expect(again.status != 0, "\(again)")
            #expect(again.stderr.contains("P4-ONE-OPEN"), "\(again)")
        }
    }

    @Test func aDamagedOrStaleIndexIsRebuiltNotBelieved() throws {
        #expect(try states().count == 2)
        let good = try String(contentsOfFile: file, encoding: .utf8)
        // A changed value breaks the checksum: the file is ignored and rewritten.
        try good.replacingOccurrences(of: "\tsubmitted\t", with: "\tapproved\t").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try states() == ["REG-2026-edu1-0001 submitted 2", "REG-2026-edu1-0002 opened 1"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == good)
        // A file written for this very commit is read, not written again.
        let written = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        #expect(try states().count == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date == written)
        // A file for a commit this repository does not have: every row that names another
        // tree than the case's is derived again, even with a good checksum.
        var lines = good.split(separator: "\n").map(String.init)
        lines[0] = "webjcase-case-index 1 " + String(repeating: "1", count: 40)
        let row = try #require(lines.firstIndex { $0.hasPrefix("REG-2026-edu1-0001\t") })
        var fields = lines[row].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[1] = String(repeating: "0", count: 40)
        fields[4] = "approved"
        lines[row] = fields.joined(separator: "\t")
        lines.removeLast()
        let body = lines.joined(separator: "\n")
        try (body + "\nsha256 " + Digest.sha256Hex(Data(body.utf8)) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try states() == ["REG-2026-edu1-0001 submitted 2", "REG-2026-edu1-0002 opened 1"])
        // Garbage, or no file at all: the same answers.
        try "not an index".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try states().count == 2)
        try FileManager.default.removeItem(atPath: file)
        #expect(try states() == ["REG-2026-edu1-0001 submitted 2", "REG-2026-edu1-0002 opened 1"])
    }
}
