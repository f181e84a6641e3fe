import Foundation
import Testing
import FuzzTargets
import TestSupport
import CaseStore
import CaseModel
import GitKit

/// Every saved fuzz input (the seed corpus `scripts/fuzz` starts from, and each finding,
/// kept as a regression) through its target, in the ordinary build: none may crash.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let directory = try #require(Bundle.module.url(forResource: "Inputs", withExtension: nil)).appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: [FuzzTarget.yaml, .envelope, .certificate])
    func savedInputsGetAVerdict(_ target: FuzzTarget) throws {
        let files = try Self.inputs(target)
        #expect(files.count >= 5, "the seed corpus of \(target.rawValue) is missing")
        for file in files {
            target.run(try Data(contentsOf: file))
        }
    }

    /// The tree target over a repository with one case opened (REG-2026-edu1-0001, as in
    /// the saved inputs' paths); it writes nothing.
    @Test func savedTreesGetAVerdictAndLeaveNothing() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        let opened = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(opened.status == 0, "\(opened)")
        let before = try w.git(["-C", "edu", "count-objects", "-v"]).stdout
        let refs = try w.refs("edu")
        let repository = try CaseRepository(path: w.directory.file("edu"))
        let files = try Self.inputs(.tree)
        #expect(files.count >= 5, "the seed corpus of tree is missing")
        for file in files {
            FuzzTarget.tree(try Data(contentsOf: file), over: repository, now: try #require(Timestamp(w.now)).date)
        }
        // The way in reaches the validator: a file outside the layout is refused by its rule.
        let findings = try repository.judge(files: [("notes.txt", Data("hello\n".utf8), .blob)], now: try #require(Timestamp(w.now)).date)
        #expect(findings.contains { $0.rule == "S-PATH" }, "\(findings)")
        #expect(try w.git(["-C", "edu", "count-objects", "-v"]).stdout == before)
        #expect(try w.refs("edu") == refs)
    }
}
