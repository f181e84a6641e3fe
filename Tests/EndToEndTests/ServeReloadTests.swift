import Foundation
import Testing
import TestSupport

/// `serve` reads its config again on SIGHUP: the hub's IT team gives a node a new token
/// without stopping the hub; a config with a problem changes nothing.
@Suite struct ServeReloadTests {
    func status(_ hub: HubServeTests.ServedHub, _ credentials: String) throws -> String {
        let result = try runProcess("/usr/bin/curl", ["-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", "-u", credentials,
                                                      "http://127.0.0.1:\(hub.port)/status"])
        return result.stdout
    }

    func waitFor(_ text: String, in log: String, after count: Int) -> Bool {
        for _ in 0..<100 {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if said.components(separatedBy: text).count - 1 > count { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func aNewTokenWorksAfterSIGHUPAndTheOldOneNoLonger() throws {
        let hub = try HubServeTests.ServedHub()
        defer { _ = hub.stop() }
        let old = try #require(hub.tokens["edu2"])
        #expect(try status(hub, "edu2:\(old)") == "200")
        let made = try hub.w.webjcase(["hub", "token", "edu2", "--policy", "policy.yaml", "--out", "edu2-new.token"])
        #expect(made.status == 0, "\(made)")
        let fresh = try String(contentsOfFile: hub.w.directory.file("edu2-new.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let line = try #require(made.stderr.split(separator: "\n").first { $0.contains("- {node: \"edu2\"") })
        #expect(try status(hub, "edu2:\(fresh)") == "401", "not before the hub reads its config again")

        let config = try String(contentsOfFile: hub.w.directory.file("hub.yaml"), encoding: .utf8)
        let replaced = config.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.contains("{node: \"edu2\"") ? String(line) : String($0) }.joined(separator: "\n")
        try hub.w.directory.write("hub.yaml", replaced)
        let pid = try #require(hub.process?.processIdentifier)
        kill(pid, SIGHUP)
        #expect(waitFor("read hub.yaml again", in: hub.log, after: 0), "\((try? String(contentsOfFile: hub.log, encoding: .utf8)) ?? "")")
        #expect(try status(hub, "edu2:\(fresh)") == "200")
        #expect(try status(hub, "edu2:\(old)") == "401")
        #expect(try status(hub, "edu1:\(hub.tokens["edu1"] ?? "")") == "200", "the other nodes keep theirs")

        // A broken config is refused; the tokens in force stay.
        try hub.w.directory.write("hub.yaml", "kind: \"hub\"\n")
        kill(pid, SIGHUP)
        #expect(waitFor("was not taken, the tokens in force stay", in: hub.log, after: 0))
        #expect(try status(hub, "edu2:\(fresh)") == "200")
        #expect(hub.process?.isRunning == true)
    }
}
