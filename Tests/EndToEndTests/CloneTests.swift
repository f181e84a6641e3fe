import Foundation
import Testing
import TestSupport

@Suite struct CloneTests {
    @Test func cloneVerifiesPinsAndMakesANode() throws {
        let w = try Workspace()
        let made = try w.webjcase(["init", "hub.git", "--bare", "--jurisdiction", "edu", "--name", "x", "--node", "edu1",
                                   "--policy", "policy.yaml", "--key", "edu1"])
        let pin = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pin.hasPrefix("sha256:") && pin.count == 71, "\(made)")

        let cloned = try w.webjcase(["clone", "hub.git", "work", "--node", "edu1", "--pin", pin, "--key", "edu1"])
        #expect(cloned.status == 0, "\(cloned)")
        #expect(try w.git(["-C", "work", "config", "webjcase.node"]).stdout == "edu1\n")
        #expect(FileManager.default.isExecutableFile(atPath: w.directory.file("work/.git/hooks/pre-commit")))
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "work"]).status == 0)
        let push = try w.git(["-C", "work", "push", "origin", "main"], environment: ["WEBJCASE_NOW": w.now])
        #expect(push.status == 0, "\(push)")
        #expect(try w.git(["--git-dir", "hub.git", "rev-list", "--count", "main"]).stdout == "2\n")
    }

    @Test func aWrongPinKeepsNothing() throws {
        let w = try Workspace()
        try w.initRepository("hub.git")
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        let cloned = try w.webjcase(["clone", "hub.git", "work", "--node", "edu1", "--pin", wrong, "--key", "edu1"])
        #expect(cloned.status == 1, "\(cloned)")
        #expect(cloned.stderr.contains("not the \(wrong) you were given"))
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("work")))
        // A directory the user made stays, empty.
        try FileManager.default.createDirectory(atPath: w.directory.file("mine"), withIntermediateDirectories: true)
        #expect(try w.webjcase(["clone", "hub.git", "mine", "--node", "edu1", "--pin", wrong, "--key", "edu1"]).status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.directory.file("mine")).isEmpty)
        #expect(try w.webjcase(["clone", "hub.git", "work", "--node", "edu1", "--pin", "abc", "--key", "edu1"]).status == 2)
    }

    @Test func anUnreachableRepositoryExitsThree() throws {
        let w = try Workspace()
        let cloned = try w.webjcase(["clone", "http://127.0.0.1:9/edu.git", "work", "--node", "edu1",
                                     "--pin", "sha256:" + String(repeating: "0", count: 64), "--key", "edu1"])
        #expect(cloned.status == 3, "\(cloned)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("work")))
    }
}
