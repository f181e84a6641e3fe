import Foundation
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
    }
}

/// The hub service: git's smart HTTP protocol through git's own engine (`git
/// http-backend`), behind per-node authentication (HTTP basic, token hashes only) and
/// authorization by the policy of each repository; `/health` and `/status`.
public struct HubServer: Sendable {
    let options: HubServerOptions
    let logger: Logger
    let access: HubAccess
    /// The most a request body may hold: a push up to `receive.maxInputSize` and some room.
    let maxBody: Int

    public init(options: HubServerOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        self.access = HubAccess(root: options.root, tokens: options.config.tokens)
        self.maxBody = RepositoryConfig.AttachmentLimits.defaults.maxCommitBytes * Hub.pushCommits + (8 << 20)
    }

    /// Serves until SIGTERM or SIGINT (or, with `handleSignals` false, until the task is
    /// cancelled); `onRunning` gets the bound port.
    public func run(handleSignals: Bool = true, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let server = self
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await server.respond(to: request)
        }
        var builder: HTTPServerBuilder = .http1()
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                               privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            builder = try .tls(.http1(), tlsConfiguration: tls)
        }
        let app = Application(
            responder: responder, server: builder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "webjcase"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
    }

    func respond(to request: Request) async -> Response {
        let started = Date()
        let path = request.uri.path
        var node = "-"
        let response: Response
        do {
            switch path {
            case "/health":
                response = Self.text(.ok, Message(.hubHealthy))
            case "/status":
                // Who pushed what is for the hub's nodes and auditors, not for anyone.
                if let user = access.authenticate(request.headers[.authorization]) {
                    node = user
                    response = try Self.json(HubStatus.read(root: options.root))
                } else {
                    response = Self.unauthorized()
                }
            default:
                guard let route = GitRoute(path: path, query: request.uri.query ?? "") else {
                    response = Self.text(.notFound, Message(.hubNotFound, ["path": path]))
                    break
                }
                guard let user = access.authenticate(request.headers[.authorization]) else {
                    response = Self.unauthorized()
                    break
                }
                node = user
                guard access.allows(node: user, route: route) else {
                    response = Self.text(.forbidden, Message(route.write ? .hubMayNotWrite : .hubMayNotRead,
                                                             ["node": user, "repository": route.repository]))
                    break
                }
                response = try await gitBackend(request, route: route, node: user)
            }
        } catch {
            logger.error("request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            response = Self.text(.internalServerError, Message(.hubFailed))
        }
        logger.info("\(request.method) \(path)", metadata: [
            "node": "\(node)", "status": "\(response.status.code)", "ms": "\(Int(Date().timeIntervalSince(started) * 1000))"])
        return response
    }

    /// A plain-text answer from the catalogue (in English: git shows the status, people
    /// who read the body are the hub's operators).
    static func text(_ status: HTTPResponse.Status, _ message: Message) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message.render(.en) + "\n")))
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

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Runs `git http-backend` as a CGI program: the request body on its stdin, its output
    /// (CGI headers, then the body) streamed back. The node's name reaches git and the hooks
    /// as `REMOTE_USER`.
    func gitBackend(_ request: Request, route: GitRoute, node: String) async throws -> Response {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("webjcase-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("in"), output = scratch.appendingPathComponent("out"), errors = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: input.path, contents: nil)
        var size = 0
        do {
            let handle = try FileHandle(forWritingTo: input)
            defer { try? handle.close() }
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= maxBody else {
                    try? FileManager.default.removeItem(at: scratch)
                    return Self.text(.contentTooLarge, Message(.hubTooLarge, ["limit": "\(maxBody)"]))
                }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
        }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
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

        let process = Process()
        process.executableURL = URL(fileURLWithPath: gitProgram)
        process.arguments = ["http-backend"]
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
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
        let rest = remainder
        let body = ResponseBody { writer in
            defer {
                try? reader.close()
                try? FileManager.default.removeItem(at: scratch)
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
        guard parts.count >= 2, parts[0].hasSuffix(".git"), !parts.contains(".."), !parts.contains(".") else { return nil }
        let repository = parts[0]
        let stem = String(repository.dropLast(4))
        personal = stem.hasSuffix(".personal")
        jurisdiction = personal ? String(stem.dropLast(9)) : stem
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
}
