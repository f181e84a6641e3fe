import Foundation
import CaseStore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HTTPTypes
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import CaseModel
import CaseStore

/// What `webjcase serve` needs.
public struct HubServerOptions: Sendable {
    /// The hub's root: `<root>/<jurisdiction>.git` and `<root>/<jurisdiction>.personal.git`.
    public var root: String
    public var host: String
    /// 0: any free port (the port chosen is announced).
    public var port: Int
    public var config: HubConfig
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// The environment handed to git's engine and so to the hooks (the clock, the locale).
    public var environment: [String: String]
    /// A clock read at each request, handed to the hooks as `WEBJCASE_NOW` (outside
    /// production only: `webjcase demo` moves the hub's time with the nodes').
    public var clock: (@Sendable () -> String)?
    /// Timeouts, and the connections one client may hold (the config's, until set otherwise).
    public var limits: HubLimits

    public init(root: String, host: String, port: Int, config: HubConfig, tlsCertificate: String?, tlsKey: String?,
                environment: [String: String]) {
        self.root = root
        self.host = host
        self.port = port
        self.config = config
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.environment = environment
        self.clock = nil
        self.limits = HubLimits(config.serve)
    }
}

/// The hub service: git's smart HTTP protocol through git's own engine (`git
/// http-backend`), behind per-node authentication (HTTP basic, token hashes only) and
/// authorization by the policy of each repository; `/health` and `/status`. Each
/// connection is held to `HubLimits` by a `HubConnectionGuard`.
public struct HubServer: Sendable {
    let options: HubServerOptions
    let logger: Logger
    /// Who may do what: the config's tokens, replaced by ``reload(_:)``.
    private let accessBox = LockedValue<HubAccess>()
    var access: HubAccess { accessBox.value ?? HubAccess(root: options.root, tokens: []) }
    /// Pushes to the case repositories take turns, hub-wide (``PushTurns``).
    let pushes = PushTurns()
    /// The most a request body may hold: a push up to `receive.maxInputSize` and some room.
    let maxBody: Int
    /// Where requests keep their bodies and git's answers while they run.
    let scratch: URL
    let clients: HubClients

    public init(options: HubServerOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        accessBox.set(HubAccess(root: options.root, tokens: options.config.tokens))
        self.maxBody = RepositoryConfig.AttachmentLimits.defaults.maxCommitBytes * Hub.pushCommits + (8 << 20)
        self.scratch = URL(fileURLWithPath: options.root).appendingPathComponent(ScratchDirectory.name)
        self.clients = HubClients(limit: options.limits.connectionsPerClient)
    }

    /// Takes the nodes' tokens of a config read again (`serve` does on SIGHUP): a new
    /// node's token works, a removed one no longer does, from the next request on. The
    /// limits, TLS and root stay as they were started.
    public func reload(_ config: HubConfig) {
        accessBox.set(HubAccess(root: options.root, tokens: config.tokens))
    }

    /// Serves until SIGTERM or SIGINT (or, with `handleSignals` false, until the task is
    /// cancelled); `onRunning` gets the bound port. What a crash left in the scratch
    /// directory goes first.
    public func run(handleSignals: Bool = true, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        try ScratchDirectory.prepare(scratch)
        let server = self
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await server.respond(to: request)
        }
        let (limits, clients, logger) = (options.limits, clients, logger)
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [HubConnectionGuard(limits: limits, clients: clients, logger: logger)])
        var builder: HTTPServerBuilder = .http1(configuration: http1)
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                               privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            builder = try .tls(.http1(configuration: http1), tlsConfiguration: tls)
        }
        let app = Application(
            responder: responder, server: builder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "webjcase"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
    }

    func respond(to request: Request) async -> Response {
        // How long the request took, on the monotonic clock: a duration, not a time.
        let timer = ContinuousClock()
        let started = timer.now
        let path = request.uri.path
        var node = "-"
        let response: Response
        do {
            switch path {
            case "/health":
                response = Self.text(.ok, Message(.hubHealthy), close: Self.hasBody(request))
            case "/status":
                // Who pushed what is for the nodes that may read it: each sees its repositories.
                if let user = access.authenticate(request.headers[.authorization]) {
                    node = user
                    let status = try HubStatus.read(root: options.root) { name in
                        GitRoute.reading(name).map { access.allows(node: user, route: $0) } ?? false
                    }
                    response = status.repositories.isEmpty ? Self.unauthorized() : try Self.json(status, close: Self.hasBody(request))
                } else {
                    response = Self.unauthorized()
                }
            default:
                // Whom and what for before a byte of the body is read: a refusal closes the
                // connection with the body unread.
                guard let route = GitRoute(path: path, query: request.uri.query ?? "") else {
                    response = Self.refusal(.notFound, .notFound, Message(.hubNotFound, ["path": path]))
                    break
                }
                guard let user = access.authenticate(request.headers[.authorization]) else {
                    response = Self.unauthorized()
                    break
                }
                node = user
                guard access.allows(node: user, route: route) else {
                    response = Self.refusal(.forbidden, .access, Message(route.write ? .hubMayNotWrite : .hubMayNotRead,
                                                                          ["node": user, "repository": route.repository]))
                    break
                }
                if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBody {
                    response = Self.refusal(.contentTooLarge, .tooLarge, Message(.hubTooLarge, ["limit": "\(maxBody)"]))
                    break
                }
                response = try await gitBackend(request, route: route, node: user)
            }
        } catch HubInterruption.timedOut(let seconds) {
            response = Self.refusal(.requestTimeout, .timeout, Message(.hubTimeout, ["seconds": "\(seconds)"]))
        } catch HubInterruption.clientLeft {
            // Nobody is there to read an answer; the log says what happened.
            logger.info("the client left before its request arrived whole", metadata: ["path": "\(path)", "node": "\(node)"])
            response = Response(status: .badRequest, headers: [.connection: "close", .contentLength: "0"], body: ResponseBody())
        } catch {
            logger.error("request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            response = Self.refusal(.internalServerError, .internal, Message(.hubFailed))
        }
        logger.info("\(request.method) \(path)", metadata: [
            "node": "\(node)", "status": "\(response.status.code)", "ms": "\(Int((timer.now - started) / .milliseconds(1)))"])
        return response
    }

    /// Whether a request says it carries a body.
    static func hasBody(_ request: Request) -> Bool {
        request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0
    }

    /// A plain-text answer from the catalogue, in English (`/health`). `close`: the
    /// connection ends with it, so that a body nobody asked for is not read.
    static func text(_ status: HTTPResponse.Status, _ message: Message, close: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        if close { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message.render(.en) + "\n")))
    }

    /// One of serve's own refusals: its rule id and reason in English and Traditional Chinese
    /// (git shows the status; whoever reads the body gets the why). `Connection: close`: the
    /// connection guard reads nothing more of the request and closes it.
    static func refusal(_ status: HTTPResponse.Status, _ rule: HubRefusal, _ message: Message) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.connection] = "close"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: rule.body(message))))
    }

    /// No body, and a fresh connection for the retry: libgit2 1.5 does not read the body of
    /// a 401 before it sends the request again on the same connection.
    static func unauthorized() -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"webjcase\""
        headers[.connection] = "close"
        headers[.contentLength] = "0"
        return Response(status: .unauthorized, headers: headers, body: ResponseBody())
    }

    static func json(_ value: some Encodable, close: Bool = false) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if close { headers[.connection] = "close" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Runs `git http-backend` as a CGI program: the request body on its stdin, its output
    /// (CGI headers, then the body) streamed back. The node's name reaches git and the hooks
    /// as `REMOTE_USER`. Body and output pass through a scratch directory that goes with the
    /// last reference to it: when the answer is sent, or the request fails or is dropped.
    func gitBackend(_ request: Request, route: GitRoute, node: String) async throws -> Response {
        let scratch = try ScratchDirectory(in: self.scratch)
        let input = try scratch.create("in"), output = try scratch.create("out"), errors = try scratch.create("err")
        var size = 0
        do {
            let handle = try FileHandle(forWritingTo: input)
            defer { try? handle.close() }
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= maxBody else {
                    return Self.refusal(.contentTooLarge, .tooLarge, Message(.hubTooLarge, ["limit": "\(maxBody)"]))
                }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
        }
        var environment = options.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_PROJECT_ROOT"] = options.root
        environment["GIT_HTTP_EXPORT_ALL"] = "1"
        environment["PATH_INFO"] = route.pathInfo
        environment["QUERY_STRING"] = route.query
        environment["REQUEST_METHOD"] = request.method.rawValue
        environment["CONTENT_TYPE"] = request.headers[.contentType] ?? ""
        environment["CONTENT_LENGTH"] = "\(size)"
        environment["REMOTE_USER"] = node
        environment["REMOTE_ADDR"] = "127.0.0.1"
        environment["WEBJCASE_PUSHER"] = node
        if let clock = options.clock { environment["WEBJCASE_NOW"] = clock() }
        if let encoding = request.headers[.contentEncoding] { environment["HTTP_CONTENT_ENCODING"] = encoding }
        if let protocolHeader = HTTPField.Name("Git-Protocol").flatMap({ request.headers[$0] }) { environment["GIT_PROTOCOL"] = protocolHeader }

        // Started with nothing blocked: the hooks under git stop on SIGTERM.
        let cgi = environment
        let run = { @Sendable in
            try await ChildProcess.run(gitProgram, ["http-backend"], environment: cgi,
                                       input: input.path, output: output.path, errors: errors.path)
        }
        let pushing = route.write && !route.personal && route.pathInfo.hasSuffix("/git-receive-pack")
        let status = pushing ? try await pushes.take(run) : try await run()
        if let stderr = try? String(contentsOf: errors, encoding: .utf8), !stderr.isEmpty {
            logger.debug("git http-backend", metadata: ["stderr": "\(stderr)", "status": "\(status)"])
        }
        let reader = try FileHandle(forReadingFrom: output)
        // The CGI header block, up to the first empty line.
        var head = Data()
        var remainder = Data()
        while true {
            guard let chunk = try reader.read(upToCount: 16 << 10), !chunk.isEmpty else { break }
            head.append(chunk)
            if let range = head.range(of: Data("\r\n\r\n".utf8)) ?? head.range(of: Data("\n\n".utf8)) {
                remainder = head.subdata(in: range.upperBound..<head.endIndex)
                head = head.subdata(in: head.startIndex..<range.lowerBound)
                break
            }
        }
        var responseStatus = HTTPResponse.Status.ok
        var headers = HTTPFields()
        for line in String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "status" {
                responseStatus = HTTPResponse.Status(code: Int(value.prefix(3)) ?? 500)
            } else if let fieldName = HTTPField.Name(name) {
                headers.append(HTTPField(name: fieldName, value: value))
            }
        }
        var start = remainder
        if route.write, route.pathInfo.hasSuffix("/git-receive-pack"), let answered = Self.annotatedPushAnswer(start, reader, request: input) {
            // Where git refused the push itself, the hub's line is in it.
            start = answered
            headers[.contentLength] = nil
        }
        let rest = start
        let body = ResponseBody { writer in
            defer {
                try? reader.close()
                scratch.remove()
            }
            if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: rest)) }
            while let chunk = try reader.read(upToCount: 64 << 10), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: responseStatus, headers: headers, body: body)
    }
}

extension HubServer {
    /// receive-pack's answer: `start`, then what `reader` holds, read (up to
    /// ``PushAnswer/limit``) when the request asked for the side band, with a line naming
    /// the rule where git refused the push itself (``PushAnswer``). nil, with nothing read,
    /// when the request did not ask for the side band; an answer longer than the limit is
    /// returned as read so far, and the rest streams on from `reader`.
    static func annotatedPushAnswer(_ start: Data, _ reader: FileHandle, request: URL) -> Data? {
        guard let head = try? FileHandle(forReadingFrom: request) else { return nil }
        defer { try? head.close() }
        guard let first = try? head.read(upToCount: 65_536), PushAnswer.requestsSideBand(first) else { return nil }
        var answer = start
        while answer.count <= PushAnswer.limit, let chunk = try? reader.read(upToCount: 64 << 10), !chunk.isEmpty {
            answer.append(chunk)
        }
        // Too long to be a refusal's report: the rest streams on from where the reader is.
        guard answer.count <= PushAnswer.limit else { return answer }
        return PushAnswer.annotated(answer)
    }
}

/// A request for one of the hub's repositories, as git's smart HTTP protocol makes them.
struct GitRoute: Sendable, Equatable {
    /// `edu.git` or `edu.personal.git`.
    let repository: String
    let jurisdiction: String
    let personal: Bool
    /// Whether the request writes (receive-pack).
    let write: Bool
    let pathInfo: String
    let query: String

    init?(path: String, query: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2, let entry = HubLayout.entry(parts[0]), !parts.contains(".."), !parts.contains(".") else { return nil }
        let repository = parts[0]
        switch entry {
        case .cases(let name): (personal, jurisdiction) = (false, name)
        case .personal(let name): (personal, jurisdiction) = (true, name)
        }
        guard NodeName.isValid(jurisdiction) else { return nil }
        let rest = parts.dropFirst().joined(separator: "/")
        switch rest {
        case "info/refs":
            let service = query.split(separator: "&").first { $0.hasPrefix("service=") }.map { String($0.dropFirst(8)) }
            guard service == "git-upload-pack" || service == "git-receive-pack" else { return nil }
            write = service == "git-receive-pack"
        case "git-upload-pack": write = false
        case "git-receive-pack": write = true
        default: return nil  // the dumb protocol is not served
        }
        self.repository = repository
        self.pathInfo = path
        self.query = query
    }

    /// A read of `repository` (`edu.git`): what a node must be allowed to see it on `/status`.
    static func reading(_ repository: String) -> GitRoute? {
        GitRoute(path: "/\(repository)/git-upload-pack", query: "")
    }
}

/// Pushes to the hub's case repositories, one at a time across every jurisdiction: the
/// cross-jurisdiction rules (one open application per organization, its status) are judged
/// by a push's pre-receive hook on the other repositories as they are, and that view must
/// still hold when the push's ref moves. Two pushes judged side by side (a registration of
/// one organization in edu and in social) would each pass on a view without the other.
/// A turn is git's receive-pack only, once the request's body is on disk: index-pack, the
/// hooks and the ref update, well under a second for a step. Waiting pushes go in order.
actor PushTurns {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func take<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
