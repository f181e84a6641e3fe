import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// "The hub under attack": an attacker who holds a real node's token (or none), on
/// 127.0.0.1, against a real `webjcase serve` run under `timeout` and stopped with SIGKILL.
/// Clients that must not share one address's connection limit come from other loopback
/// addresses (127.0.0.2, …).
@Suite struct ServeAttackTests {
    typealias ServedHub = HubServeTests.ServedHub

    /// `timeout` ends serve should the test process die; 100 s is more than any test here takes.
    static let wrapper = ["/usr/bin/timeout", "-s", "KILL", "100"]

    /// `/status` names the repositories the node may read, and nothing to anyone else: an
    /// agency node of social does not learn edu's head, last pusher or receipt sequence; a
    /// token of a node that is in no policy, a wrong token and no token get 401.
    @Test func statusTellsEachNodeOnlyWhatItMayRead() throws {
        let hub = try ServedHub(strangers: ["nobody1"], wrapper: Self.wrapper)
        defer { hub.stop() }
        // A push, so that edu has a last pusher and a receipt to hide.
        #expect(try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "node"]).status == 0)
        #expect(try hub.w.git(["-C", "node", "config", "webjcase.node", "edu1"]).status == 0)
        #expect(try hub.w.git(["-C", "node", "config", "webjcase.key", hub.w.directory.file("edu1")]).status == 0)
        #expect(try hub.w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "node"]).status == 0)
        #expect(try hub.git(["-C", "node", "push", "-q", "origin", "main"]).status == 0)

        func status(_ credentials: String?) throws -> (code: String, names: [String], body: String) {
            let result = try runProcess("/usr/bin/curl", ["-s", "-m", "10", "-w", "\n%{http_code}"] + (credentials.map { ["-u", $0] } ?? [])
                                        + ["http://127.0.0.1:\(hub.port)/status"])
            let body = String(result.stdout[..<(result.stdout.lastIndex(of: "\n") ?? result.stdout.endIndex)])
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let names = (json?["repositories"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            return (String(result.stdout.split(separator: "\n").last ?? ""), names, body)
        }
        let social = try status("soc1:\(hub.tokens["soc1"] ?? "")")
        #expect(social.code == "200" && social.names == ["social.git"], "\(social)")
        #expect(!social.body.contains("edu") && !social.body.contains("sequence"), "\(social.body)")
        let edu = try status("edu1:\(hub.tokens["edu1"] ?? "")")
        #expect(edu.code == "200" && edu.names == ["edu.git"] && edu.body.contains("\"by\" : \"edu1\""), "\(edu)")
        for node in ["auditor1", "centre"] {
            let all = try status("\(node):\(hub.tokens[node] ?? "")")
            #expect(all.code == "200" && all.names == ["edu.git", "social.git"], "\(node): \(all)")
        }
        for credentials in ["nobody1:\(hub.tokens["nobody1"] ?? "")", "edu1:not-the-token", "stranger:\(hub.tokens["edu1"] ?? "")", nil] {
            let refused = try status(credentials)
            #expect(refused.code == "401" && refused.body.isEmpty, "\(credentials ?? "no token"): \(refused)")
        }
    }

    /// A request without a valid token, or for a repository the node may not write, is
    /// answered before a byte of its body is read, and its connection ends: 64 MiB offered
    /// behind the head find no reader.
    @Test func aRefusedRequestsBodyIsNeverRead() throws {
        let hub = try ServedHub(wrapper: Self.wrapper)
        defer { hub.stop() }
        for (credentials, expected) in [("edu1:not-the-token", "401"), ("soc1:\(hub.tokens["soc1"] ?? "")", "403")] {
            let connection = try RawConnection(port: hub.port)
            connection.send(Self.postHead("/edu.git/git-receive-pack", credentials: credentials, length: 64 << 20))
            let answer = connection.receive(until: "\r\n\r\n", seconds: 5)
            #expect(answer.hasPrefix("HTTP/1.1 \(expected) "), "\(credentials): \(answer)")
            let started = Date()
            let sent = connection.sendZeros(64 << 20, seconds: 5)
            let rest = connection.receiveToEnd(seconds: 5)
            #expect(sent < 24 << 20, "\(credentials): \(sent) bytes of the body were taken")
            #expect(rest.closed && Date().timeIntervalSince(started) < 8, "\(credentials): the connection stays open")
            if expected == "403" {
                let whole = answer + rest.text
                #expect(whole.contains("[HUB-ACCESS] soc1 may not push to edu.git.") && whole.contains("[HUB-ACCESS] soc1 無權推送至 edu.git。"), "\(whole)")
            }
        }
        // The hub is still there for a node that may push.
        #expect(try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "node"]).status == 0)
    }

    /// Connections that send half a head, or a body too slowly, are closed after their
    /// timeouts (2 s for the head, from the config, and for silence, 4 s for a whole body),
    /// those in their body with 408 and the reason; a client that reads no answer is cut off
    /// too. A limit out of range, in the config or an option, is refused with its name.
    @Test func slowClientsAreClosedAfterTheirTimeouts() throws {
        let hub = try ServedHub(serve: ["--idle-timeout", "2", "--body-timeout", "4", "--connections-per-client", "1000"], wrapper: Self.wrapper)
        defer { hub.stop() }
        let config = try String(contentsOfFile: hub.w.directory.file("hub.yaml"), encoding: .utf8)
        try hub.w.directory.write("bad.yaml", config + "serve: {headerTimeout: 2, idleTimeout: 0}\n")
        let badConfig = try runProcess("/usr/bin/timeout", ["-s", "KILL", "20", webjcaseBinary, "serve", "--root", "root", "--listen", "127.0.0.1:0",
                                                            "--config", "bad.yaml"], in: hub.w.path)
        #expect(badConfig.status == 2 && badConfig.stderr.contains("serve.idleTimeout") && badConfig.stderr.contains("1 to 86400"), "\(badConfig)")
        let badOption = try runProcess("/usr/bin/timeout", ["-s", "KILL", "20", webjcaseBinary, "serve", "--root", "root", "--listen", "127.0.0.1:0",
                                                            "--config", "hub.yaml", "--body-timeout", "0"], in: hub.w.path)
        #expect(badOption.status == 2 && badOption.stderr.contains("--body-timeout") && badOption.stderr.contains("1 to 86400"), "\(badOption)")
        // The header timeout from the config: older configs without `serve:` stay valid.
        try hub.w.directory.write("hub.yaml", config + "serve: {headerTimeout: 2}\n")
        hub.stop()
        try hub.start(hub.arguments)
        let token = hub.tokens["edu1"] ?? ""
        let started = Date()
        // Nothing at all; half a head; a head dripped a byte a second.
        let silent = try RawConnection(port: hub.port)
        let half = try RawConnection(port: hub.port)
        half.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let drip = try RawConnection(port: hub.port)
        // A body that stops; a body dripped a byte a second (never 2 s silent, too slow for 4 s).
        let stopped = try RawConnection(port: hub.port)
        stopped.send(Self.postHead("/edu.git/git-receive-pack", credentials: "edu1:\(token)", length: 1000) + "0000")
        let dripped = try RawConnection(port: hub.port)
        dripped.send(Self.postHead("/edu.git/git-receive-pack", credentials: "edu1:\(token)", length: 1000))
        for second in 0..<7 {
            drip.send(String("GET /health HTTP/1.1\r\n".dropFirst(second).prefix(1)))
            dripped.send("0")
            Thread.sleep(forTimeInterval: 1)
        }
        for (name, connection) in [("silent", silent), ("half", half), ("drip", drip)] {
            let rest = connection.receiveToEnd(seconds: 3)
            #expect(rest.closed && rest.text.isEmpty, "\(name): \(rest)")
        }
        for (name, connection) in [("stopped", stopped), ("dripped", dripped)] {
            let rest = connection.receiveToEnd(seconds: 3)
            #expect(rest.closed && rest.text.hasPrefix("HTTP/1.1 408 "), "\(name): \(rest)")
            #expect(rest.text.contains("[HUB-TIMEOUT] The request did not arrive within") && rest.text.contains("[HUB-TIMEOUT] 請求未於"), "\(name): \(rest)")
        }
        #expect(Date().timeIntervalSince(started) < 15)
        // The scratch of the two bodies went with them.
        #expect(try FileManager.default.contentsOfDirectory(atPath: hub.w.directory.file("root/.webjcase-scratch")).isEmpty)

        // A fetch of 16 MiB whose client reads nothing: once the socket is full, serve waits
        // the idle timeout for it, then closes the connection (and the scratch goes).
        let blob = hub.w.directory.file("big")
        _ = FileManager.default.createFile(atPath: blob, contents: FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 16 << 20))
        let object = try hub.hubGit("edu.git", ["hash-object", "-w", blob]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tree = try runProcess(gitBinary, ["--git-dir", hub.w.directory.file("root/edu.git"), "mktree"], stdin: Data("100644 blob \(object)\tbig\n".utf8))
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = try hub.hubGit("edu.git", ["commit-tree", tree, "-m", "big"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try hub.hubGit("edu.git", ["update-ref", "refs/heads/big", commit]).status == 0)
        let want = "want \(commit)\n"
        let request = String(format: "%04x", want.utf8.count + 4) + want + "0000" + "0009done\n"
        let reader = try RawConnection(port: hub.port, receiveBuffer: 4096)
        reader.send("POST /edu.git/git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(Self.base64("edu1:\(token)"))\r\n" +
                    "Content-Type: application/x-git-upload-pack-request\r\nContent-Length: \(request.utf8.count)\r\n\r\n" + request)
        let head = reader.receive(until: "\r\n\r\n", seconds: 10)
        #expect(head.hasPrefix("HTTP/1.1 200 "), "\(head)")
        let stalled = Date()
        // Reads nothing for 6 s, then everything there is.
        Thread.sleep(forTimeInterval: 6)
        let rest = reader.receiveToEnd(seconds: 5)
        #expect(rest.closed && rest.data.count < 8 << 20, "\(rest.data.count) bytes, closed: \(rest.closed)")
        #expect(Date().timeIntervalSince(stalled) < 12)
        #expect(try String(contentsOfFile: hub.log, encoding: .utf8).contains("closing a connection whose client does not read its answer"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: hub.w.directory.file("root/.webjcase-scratch")).isEmpty)
    }

    /// One client's thousands of half-sent requests: beyond its 16 connections each gets 429
    /// and is closed at once, the others are closed after the header timeout, serve (held to
    /// 256 open files) never runs out of them, and `/health` answers another client throughout.
    @Test func oneClientCannotTakeTheHubsFiles() throws {
        let hub = try ServedHub(serve: ["--header-timeout", "3"], wrapper: Self.wrapper + ["/usr/bin/prlimit", "--nofile=256:256"])
        defer { hub.stop() }
        let serve = try #require(hub.servePID(), "serve's process")
        let baseline = Self.openFiles(serve)
        let health = HealthProbe(port: hub.port)
        let started = Date()
        var attackers: [RawConnection] = [], refused = 0, busy = 0, peak = 0
        for index in 0..<3000 where Date().timeIntervalSince(started) < 30 {
            guard let connection = try? RawConnection(port: hub.port, from: "127.0.0.2") else {
                refused += 1
                continue
            }
            connection.send("POST /edu.git/git-receive-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
            attackers.append(connection)
            if index % 100 == 0 { peak = max(peak, Self.openFiles(serve)) }
        }
        let opened = Date().timeIntervalSince(started)
        for connection in attackers.prefix(40) {
            let answer = connection.receiveToEnd(seconds: 0.2)
            if answer.text.hasPrefix("HTTP/1.1 429 ") { busy += 1 }
        }
        let sample = attackers.last?.receiveToEnd(seconds: 2).text ?? ""
        // The 16 it was allowed go after the header timeout.
        Thread.sleep(forTimeInterval: 4)
        let after = Self.openFiles(serve)
        let probes = health.stop()
        print("ServeAttackTests.files: \(attackers.count) half-sent requests from one client in \(String(format: "%.1f", opened)) s (\(refused) not connected); " +
              "serve's open files \(baseline) before, at most \(peak) during, \(after) after; /health \(probes.count) times, " +
              "\(probes.filter { $0 == nil }.count) failed, slowest \(Int((probes.compactMap { $0 }.max() ?? 0) * 1000)) ms")
        #expect(busy >= 24, "of the first 40, all but 16 get 429: \(busy)")
        #expect(sample.contains("[HUB-BUSY] 127.0.0.2 already holds 16 connections") && sample.contains("[HUB-BUSY] 127.0.0.2 已與本中樞建立 16 個連線"), "\(sample)")
        #expect(peak < 200 && after <= baseline + 4, "serve's open files: \(baseline) before, \(peak) during, \(after) after")
        #expect(!probes.isEmpty && probes.allSatisfy { $0 != nil }, "/health failed during the attack: \(probes)")
        // A connection attempt lost in a full accept queue is retried by the kernel after 1 s;
        // on a machine busy with other tests, more than one may be.
        #expect((probes.compactMap { $0 }.max() ?? 99) < 5, "/health was slow: \(probes)")
        let closed = attackers.prefix(16).map { $0.receiveToEnd(seconds: 1).closed }
        #expect(closed.allSatisfy { $0 }, "the allowed 16 are closed after the header timeout: \(closed)")
        // And that client may come back.
        let back = try RawConnection(port: hub.port, from: "127.0.0.2")
        back.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(back.receive(until: "ok\n", seconds: 5).hasSuffix("ok\n"))
    }

    /// Request bodies and git's answers wait in `<root>/.webjcase-scratch` (0700, files 0600),
    /// never in the shared temporary directory; an upload cut off in its body leaves nothing
    /// there; what a killed serve left goes when serve starts again.
    @Test func scratchFilesArePrivateAndGoWithTheirRequest() throws {
        let temporary = try TemporaryDirectory("serve-tmp")
        let hub = try ServedHub(wrapper: Self.wrapper, environment: ["TMPDIR": temporary.path])
        defer { hub.stop() }
        let scratch = hub.w.directory.file("root/.webjcase-scratch")
        let credentials = "edu1:\(hub.tokens["edu1"] ?? "")"
        for abort in ["close", "reset", "close"] {
            let upload = try RawConnection(port: hub.port)
            upload.send(Self.postHead("/edu.git/git-receive-pack", credentials: credentials, length: 64 << 20))
            #expect(upload.sendZeros(8 << 20, seconds: 10) == 8 << 20)
            // While the request runs, its scratch is the hub's and private.
            var files: [String] = []
            for _ in 0..<100 where files.isEmpty {
                files = (try? FileManager.default.subpathsOfDirectory(atPath: scratch)) ?? []
                if files.isEmpty { usleep(50_000) }
            }
            #expect(Self.mode(scratch) == 0o700, "\(scratch)")
            let directories = files.filter { !$0.contains("/") }, inside = files.filter { $0.contains("/") }
            #expect(directories.count == 1 && inside.count == 3, "\(files)")
            for directory in directories { #expect(Self.mode(scratch + "/" + directory) == 0o700, "\(directory)") }
            for file in inside { #expect(Self.mode(scratch + "/" + file) == 0o600, "\(file)") }
            if abort == "reset" { upload.reset() }
            upload.close()
            var left = files
            for _ in 0..<100 where !left.isEmpty {
                usleep(50_000)
                left = (try? FileManager.default.subpathsOfDirectory(atPath: scratch)) ?? ["unreadable"]
            }
            #expect(left.isEmpty, "an upload ended by \(abort) left \(left)")
        }
        let temporaryFiles = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        #expect(temporaryFiles.isEmpty, "serve wrote to the shared temporary directory: \(temporaryFiles)")

        // What a killed serve leaves is gone once it is started again.
        try FileManager.default.createDirectory(atPath: scratch + "/left-by-a-crash", withIntermediateDirectories: true)
        try hub.w.directory.write("root/.webjcase-scratch/left-by-a-crash/in", String(repeating: "x", count: 4096))
        hub.stop()
        try hub.start(hub.arguments)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty && Self.mode(scratch) == 0o700)
        #expect(try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "node"]).status == 0)
    }

    /// A hook that git runs under serve stops on SIGTERM, although serve was started with
    /// SIGTERM blocked (as under `swift test`, and as some service managers start processes).
    @Test func aHookStartedByServeEndsOnSIGTERM() throws {
        // What a process started so inherits: SIGTERM blocked.
        let inherited = try ServedHub.withTerminationBlocked { try runProcess("/bin/grep", ["SigBlk", "/proc/self/status"]) }
        let mask = UInt64(inherited.stdout.dropFirst(7).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) ?? 0
        try #require(mask & Self.termBit != 0, "a process started with SIGTERM blocked: \(inherited)")
        let hub = try ServedHub(wrapper: Self.wrapper, blockTermination: true)
        defer { hub.stop() }
        let pidFile = hub.w.directory.file("hook.pid")
        try hub.w.directory.write("root/edu.git/hooks/pre-receive", "#!/bin/sh\necho $$ > '\(pidFile)'\nexec sleep 60\n")
        #expect(chmod(hub.w.directory.file("root/edu.git/hooks/pre-receive"), 0o755) == 0)
        #expect(try hub.git(["clone", "-q", hub.url("edu.git", as: "edu1"), "node"]).status == 0)
        #expect(try hub.w.git(["-C", "node", "commit", "-q", "--allow-empty", "-m", "anything"]).status == 0)
        let push = Process()
        push.executableURL = URL(fileURLWithPath: gitBinary)
        push.arguments = ["-C", hub.w.directory.file("node"), "-c", "credential.helper=", "push", "-q", "origin", "main"]
        push.environment = childEnvironment(["GIT_TERMINAL_PROMPT": "0", "HOME": hub.w.path])
        push.standardOutput = FileHandle.nullDevice
        push.standardError = FileHandle.nullDevice
        try push.run()
        defer { if push.isRunning { kill(push.processIdentifier, SIGKILL) } }
        var hook: Int32?
        for _ in 0..<200 where hook == nil {
            hook = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if hook == nil { usleep(50_000) }
        }
        let pid = try #require(hook, "the hook did not start")
        usleep(200_000)
        let hookMask = Self.blocked(pid)
        kill(pid, SIGTERM)
        var ended = false
        for _ in 0..<100 where !ended {
            ended = Self.ended(pid)
            if !ended { usleep(50_000) }
        }
        if !ended { kill(pid, SIGKILL) }
        #expect(ended, "the hook ignored SIGTERM (blocked signals \(String(hookMask ?? 0, radix: 16)))")
        push.waitUntilExit()
        #expect(push.terminationStatus != 0, "a push whose hook was stopped is refused")

        // The hook command itself, started with SIGTERM blocked, waiting for git's ref updates.
        let updates = Pipe()
        let command = Process()
        command.executableURL = URL(fileURLWithPath: webjcaseBinary)
        command.arguments = ["hook", "pre-receive"]
        command.environment = childEnvironment(["GIT_DIR": hub.w.directory.file("root/edu.git")])
        command.standardInput = updates
        command.standardOutput = FileHandle.nullDevice
        command.standardError = FileHandle.nullDevice
        try ServedHub.withTerminationBlocked { try command.run() }
        defer { if command.isRunning { kill(command.processIdentifier, SIGKILL) } }
        usleep(300_000)
        let commandMask = Self.blocked(command.processIdentifier)
        #expect(commandMask.map { $0 & Self.termBit == 0 } == true, "webjcase keeps SIGTERM blocked: \(String(commandMask ?? 0, radix: 16))")
        kill(command.processIdentifier, SIGTERM)
        var stopped = false
        for _ in 0..<100 where !stopped {
            stopped = !command.isRunning
            if !stopped { usleep(50_000) }
        }
        // The supervisor passes the signal to its worker and ends as a shell reports a signal: 128 + SIGTERM.
        #expect(stopped && (command.terminationReason == .uncaughtSignal || command.terminationStatus == 128 + SIGTERM),
                "webjcase hook ignored SIGTERM")
    }

    /// serve's own refusals say which rule and why, in English and in Traditional Chinese;
    /// the 401 alone has no body.
    @Test func everyRefusalSaysWhyInBothLanguages() throws {
        let hub = try ServedHub(serve: ["--connections-per-client", "1", "--header-timeout", "5", "--idle-timeout", "1"], wrapper: Self.wrapper)
        defer { hub.stop() }
        let edu1 = "edu1:\(hub.tokens["edu1"] ?? "")", soc1 = "soc1:\(hub.tokens["soc1"] ?? "")"
        /// The whole answer to `request`, from a loopback address of its own.
        func answer(_ request: String, from source: String) throws -> String {
            let connection = try RawConnection(port: hub.port, from: source)
            connection.send(request)
            return connection.receiveToEnd(seconds: 5).text
        }
        func get(_ path: String, _ credentials: String? = nil) -> String {
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (credentials.map { "Authorization: Basic \(Self.base64($0))\r\n" } ?? "") + "\r\n"
        }
        let forbidden = try answer(get("/edu.git/info/refs?service=git-upload-pack", soc1), from: "127.0.0.2")
        #expect(forbidden.hasPrefix("HTTP/1.1 403 ") && forbidden.contains("\r\n\r\n[HUB-ACCESS] soc1 may not read edu.git.\n[HUB-ACCESS] soc1 無權讀取 edu.git。\n"),
                "\(forbidden)")
        let missing = try answer(get("/edu.git/objects/info/packs", edu1), from: "127.0.0.3")
        #expect(missing.hasPrefix("HTTP/1.1 404 ") && missing.contains("[HUB-NOT-FOUND] /edu.git/objects/info/packs: not a repository of this hub")
                && missing.contains("[HUB-NOT-FOUND] /edu.git/objects/info/packs：不是本中樞的儲存庫"), "\(missing)")
        let large = try answer(Self.postHead("/edu.git/git-receive-pack", credentials: edu1, length: 300 << 20), from: "127.0.0.4")
        #expect(large.hasPrefix("HTTP/1.1 413 ") && large.contains("[HUB-TOO-LARGE] The push is larger than the hub accepts")
                && large.contains("[HUB-TOO-LARGE] 推送內容超過中樞上限"), "\(large)")
        let late = try answer(Self.postHead("/edu.git/git-receive-pack", credentials: edu1, length: 100) + "0000", from: "127.0.0.5")
        #expect(late.hasPrefix("HTTP/1.1 408 ") && late.contains("[HUB-TIMEOUT] The request did not arrive within 1 s")
                && late.contains("[HUB-TIMEOUT] 請求未於 1 秒內送達"), "\(late)")
        let holder = try RawConnection(port: hub.port, from: "127.0.0.6")
        holder.send("GET /health HTTP/1.1\r\n")
        // Counted before the next connection from the same address is (they may land on two event loops).
        Thread.sleep(forTimeInterval: 0.3)
        let busy = try answer(get("/health"), from: "127.0.0.6")
        #expect(busy.hasPrefix("HTTP/1.1 429 ") && busy.contains("[HUB-BUSY] 127.0.0.6 already holds 1 connections to this hub")
                && busy.contains("[HUB-BUSY] 127.0.0.6 已與本中樞建立 1 個連線"), "\(busy)")
        let unauthorized = try answer(get("/edu.git/info/refs?service=git-upload-pack", "edu1:wrong"), from: "127.0.0.7")
        #expect(unauthorized.hasPrefix("HTTP/1.1 401 ") && unauthorized.hasSuffix("\r\n\r\n") && unauthorized.lowercased().contains("connection: close"),
                "\(unauthorized)")
        // The hub cannot make its scratch directory: 500, and the log says why.
        let scratch = hub.w.directory.file("root/.webjcase-scratch")
        try FileManager.default.removeItem(atPath: scratch)
        try hub.w.directory.write("root/.webjcase-scratch", "in the way\n")
        let failed = try answer(Self.postHead("/edu.git/git-upload-pack", credentials: edu1, length: 4) + "0000", from: "127.0.0.8")
        #expect(failed.hasPrefix("HTTP/1.1 500 ") && failed.contains("[HUB-INTERNAL] The hub could not serve this request; its log says why.")
                && failed.contains("[HUB-INTERNAL] 中樞無法處理此請求；原因請見其日誌。"), "\(failed)")
        let log = try String(contentsOfFile: hub.log, encoding: .utf8)
        #expect(log.contains(".webjcase-scratch"), "\(log)")
    }

    // MARK: - Helpers

    static func postHead(_ path: String, credentials: String, length: Int) -> String {
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(base64(credentials))\r\n" +
            "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: \(length)\r\n\r\n"
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? -1) & 0o777
    }

    /// The descriptors `pid` holds open.
    static func openFiles(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count ?? -1
    }

    static let termBit: UInt64 = 1 << (UInt64(SIGTERM) - 1)

    /// The signals `pid` blocks (`SigBlk` of /proc/PID/status).
    static func blocked(_ pid: Int32) -> UInt64? {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }
            .flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
    }

    /// Gone, or a zombie waiting for its parent.
    static func ended(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
        return status.contains("State:\tZ")
    }
}

extension HubServeTests.ServedHub {
    /// serve's own process: the child of the wrapper (`timeout`), or the process itself.
    func servePID() -> Int32? {
        guard let process else { return nil }
        let pid = process.processIdentifier
        guard !wrapper.isEmpty else { return pid }
        for _ in 0..<50 {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").first.flatMap({ Int32($0) }) { return child }
            usleep(20_000)
        }
        return nil
    }
}

/// A raw TCP connection to 127.0.0.1, from `source` (another loopback address is another client).
final class RawConnection {
    private(set) var descriptor: Int32

    init(port: Int, from source: String = "127.0.0.1", receiveBuffer: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawError("socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var local = Self.address(source, port: 0)
        var remote = Self.address("127.0.0.1", port: port)
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            descriptor = -1
            throw RawError("connect from \(source): \(reason)")
        }
    }

    deinit { close() }

    static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends up to `count` zero bytes; how many the peer's side took before it stopped
    /// reading (for `seconds`) or the connection ended.
    func sendZeros(_ count: Int, seconds: Double) -> Int {
        let chunk = [UInt8](repeating: 0, count: 64 << 10)
        let deadline = Date().addingTimeInterval(seconds)
        var sent = 0
        while sent < count, Date() < deadline {
            let written = chunk.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, min($0.count, count - sent), Int32(MSG_NOSIGNAL)) }
            if written > 0 { sent += written } else if errno != EAGAIN && errno != EINTR { break }
        }
        return sent
    }

    /// What arrives until `marker` has, or `seconds` pass, or the connection ends.
    func receive(until marker: String, seconds: Double) -> String {
        var data = Data()
        let deadline = Date().addingTimeInterval(seconds)
        while !String(decoding: data, as: UTF8.self).contains(marker), case .data(let chunk) = read(until: deadline) {
            data.append(chunk)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// What `receiveToEnd` got.
    struct Received: CustomStringConvertible {
        let data: Data
        /// The connection ended (or was reset).
        let closed: Bool
        var text: String { String(decoding: data, as: UTF8.self) }
        var description: String { "closed: \(closed), \(data.count) bytes: \(text.prefix(2000))" }
    }

    /// Everything until the connection ends, or `seconds` pass.
    func receiveToEnd(seconds: Double) -> Received {
        var data = Data()
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            switch read(until: deadline) {
            case .data(let chunk): data.append(chunk)
            case .ended: return Received(data: data, closed: true)
            case .timedOut: return Received(data: data, closed: false)
            }
        }
    }

    enum Read { case data(Data), ended, timedOut }

    private func read(until deadline: Date) -> Read {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let wait = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
        guard poll(&poller, 1, wait) > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { return errno == EAGAIN || errno == EINTR ? (Date() < deadline ? .data(Data()) : .timedOut) : .ended }
        return count == 0 ? .ended : .data(Data(buffer[0..<count]))
    }

    /// Ends the connection with a reset (SO_LINGER 0) when closed.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}

struct RawError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `GET /health` every 100 ms from 127.0.0.1 on a thread of its own, each answer's time (nil: no "ok").
final class HealthProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Double?] = []
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(port: Int) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let started = Date()
                var time: Double?
                if let connection = try? RawConnection(port: port) {
                    connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    if connection.receive(until: "ok\n", seconds: 5).hasSuffix("ok\n") { time = Date().timeIntervalSince(started) }
                }
                lock.withLock { times.append(time) }
                Thread.sleep(forTimeInterval: 0.1)
            }
            done.signal()
        }
    }

    /// Stops probing; each probe's time.
    func stop() -> [Double?] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { times }
    }
}
