// webjcase-bench: measurements for the issue's performance claims.
//
//   swift run -c release webjcase-bench signatures [--seconds S] [--document-bytes N] [--no-chains] [--only ALGORITHM]
//
// `signatures` prints, for Ed25519, P-256 and RSA-2048, the rate of SignatureEnvelope.verify(document:payloadType:keys:)
// beside the raw swift-crypto verify rate for the same key and message, measured in the same run, and their ratio; then
// (unless --no-chains) the rate of certificate envelopes whose X.509 chain is validated at the signing time; then one JSON line.
import CaseModel
import CaseSigning
import Crypto
import _CryptoExtras
import Foundation

struct Options {
    var seconds = 1.0
    var documentBytes = 2048
    var chains = true
    var only: String? = nil
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: webjcase-bench signatures [--seconds S] [--document-bytes N] [--no-chains] [--only ed25519|ecdsa-p256|rsa-2048]\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "generate" {
    // webjcase-bench generate DIR [--cases N] [--binary PATH]: a synthetic jurisdiction in DIR/edu.git.
    arguments.removeFirst()
    guard let directory = arguments.first else { usage() }
    arguments.removeFirst()
    var generator = SyntheticJurisdiction.Options()
    var binary = "webjcase"
    while !arguments.isEmpty {
        let flag = arguments.removeFirst()
        guard let value = arguments.first else { usage() }
        arguments.removeFirst()
        switch flag {
        case "--cases": generator.cases = Int(value) ?? generator.cases
        case "--commits": generator.commits = Int(value)
        case "--binary": binary = value
        default: usage()
        }
    }
    let made = try SyntheticJurisdiction(options: generator, directory: URL(fileURLWithPath: directory)).generate(binary: binary)
    print("{\"commits\":\(made.commits),\"cases\":\(made.cases),\"organizations\":\(made.organizations),\"ed25519\":\(made.ed25519Signatures),"
          + "\"rsa\":\(made.certificateSignatures["rsa-2048"] ?? 0),\"p256\":\(made.certificateSignatures["ecdsa-p256"] ?? 0),"
          + "\"last\":\"\(Timestamp(made.lastCommitTime).text)\",\"seconds\":\(String(format: "%.2f", made.seconds)),"
          + "\"kinds\":{\(made.kinds.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ","))}}")
    exit(0)
}
if arguments.first == "limit" {
    // webjcase-bench limit --commits C --ed25519 N --p256 N --rsa N [--seconds S]
    arguments.removeFirst()
    var values: [String: Double] = ["--commits": 1, "--ed25519": 2, "--p256": 0, "--rsa": 0, "--seconds": 1]
    while arguments.count >= 2 {
        guard values[arguments[0]] != nil, let value = Double(arguments[1]) else { usage() }
        values[arguments[0]] = value
        arguments.removeFirst(2)
    }
    let limit = try RawLimit.measure(commits: Int(values["--commits"]!), ed25519: Int(values["--ed25519"]!), p256: Int(values["--p256"]!),
                                     rsa: Int(values["--rsa"]!), seconds: values["--seconds"]!)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(limit), as: UTF8.self))
    exit(0)
}
if arguments.first == "measure" {
    // webjcase-bench measure [--stdin TEXT] -- COMMAND ARGS…
    arguments.removeFirst()
    var stdin: String?
    if arguments.first == "--stdin", arguments.count >= 2 { stdin = arguments[1]; arguments.removeFirst(2) }
    if arguments.first == "--" { arguments.removeFirst() }
    guard !arguments.isEmpty else { usage() }
    let (ms, rss, status) = try Measure.run(arguments, stdin: stdin)
    print(String(format: "{\"ms\":%.1f,\"max_rss_mb\":%.1f,\"status\":%d}", ms, rss, status))
    exit(0)
}
guard arguments.first == "signatures" else { usage() }
arguments.removeFirst()
var options = Options()
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    switch flag {
    case "--seconds":
        guard let value = arguments.first.flatMap(Double.init), value > 0 else { usage() }
        options.seconds = value
        arguments.removeFirst()
    case "--document-bytes":
        guard let value = arguments.first.flatMap(Int.init), value > 0 else { usage() }
        options.documentBytes = value
        arguments.removeFirst()
    case "--no-chains":
        options.chains = false
    case "--only":
        guard let value = arguments.first else { usage() }
        options.only = value
        arguments.removeFirst()
    default:
        usage()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Runs `body` repeatedly for about `seconds`; returns operations per second. `body` returns whether the check succeeded.
func rate(seconds: Double, _ body: () -> Bool) -> Double {
    let clock = ContinuousClock()
    // Warm up.
    for _ in 0..<50 { precondition(body(), "verification failed") }
    var count = 0
    let start = clock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    while true {
        for _ in 0..<32 { precondition(body(), "verification failed") }
        count += 32
        let elapsed = clock.now - start
        if elapsed >= budget {
            return Double(count) / elapsed.seconds
        }
    }
}

func asyncRate(seconds: Double, _ body: () async -> Bool) async -> Double {
    let clock = ContinuousClock()
    for _ in 0..<20 {
        let ok = await body()
        precondition(ok, "verification failed")
    }
    var count = 0
    let start = clock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    while true {
        for _ in 0..<16 {
            let ok = await body()
            precondition(ok, "verification failed")
        }
        count += 16
        let elapsed = clock.now - start
        if elapsed >= budget {
            return Double(count) / elapsed.seconds
        }
    }
}

/// A YAML-like document of about `bytes` bytes.
func makeDocument(bytes: Int) -> Data {
    var text = "kind: annex-1\norganization: \"12345678\"\napplication: \"府授文字第1140000001號\"\nsignedAt: 2026-03-01T10:00:00Z\n"
    var line = 0
    while text.utf8.count < bytes {
        line += 1
        text += "item\(line): 臺南市智慧發展中心 WebjAgent 測試資料 \(line)\n"
    }
    return Data(text.utf8)
}

struct Row: Codable {
    var algorithm: String
    var envelopePerSecond: Double
    var rawPerSecond: Double
    var ratio: Double
}

let payloadType = "application/vnd.webjcase.document+yaml"
let document = makeDocument(bytes: options.documentBytes)
let message = SignatureEnvelope.pae(payloadType: payloadType, body: document)
var rows: [Row] = []

@MainActor
func measure(_ name: String, signer: DocumentSigner, raw: @escaping (Data) -> Bool) throws {
    if let only = options.only, only != name { return }
    let envelope = try SignatureEnvelope(decoding: SignatureEnvelope.sign(document: document, payloadType: payloadType, signer: signer).encoded())
    let key = signer.publicKey
    // A policy's key set, parsed once (as PolicyKeys does).
    let keys = [key.fingerprint: key]
    let sig = Data(base64Encoded: envelope.signatures[0].sig)!
    // Alternate slices of raw and envelope verification so that drift (turbo, other load) hits both alike.
    let slices = 5
    var rawRates: [Double] = [], envelopeRates: [Double] = []
    for _ in 0..<slices {
        rawRates.append(rate(seconds: options.seconds / Double(slices)) { raw(sig) })
        envelopeRates.append(rate(seconds: options.seconds / Double(slices)) {
            (try? envelope.verify(document: document, payloadType: payloadType, keys: keys).count) == 1
        })
    }
    let rawRate = rawRates.reduce(0, +) / Double(slices)
    let envelopeRate = envelopeRates.reduce(0, +) / Double(slices)
    rows.append(Row(algorithm: name, envelopePerSecond: envelopeRate, rawPerSecond: rawRate, ratio: envelopeRate / rawRate))
}

// Ed25519: the raw check takes the 64 bytes as is.
let edSigner = DocumentSigner.ed25519(SigningKey.generate())
let edPublic = try Curve25519.Signing.PublicKey(rawRepresentation: Data(edSigner.publicKey.blob.suffix(32)))
try measure("ed25519", signer: edSigner) { sig in edPublic.isValidSignature(sig, for: message) }

// P-256: the raw check is given the parsed signature (DER parsing excluded), the same public key, the same message.
let p256 = CertificateKey.generateP256()
let p256Public = try P256.Signing.PrivateKey(pemRepresentation: p256.pemRepresentation).publicKey
var p256Parsed: P256.Signing.ECDSASignature?
try measure("ecdsa-p256", signer: .certificateKey(p256)) { sig in
    if p256Parsed == nil { p256Parsed = try? P256.Signing.ECDSASignature(derRepresentation: sig) }
    return p256Public.isValidSignature(p256Parsed!, for: message)
}

// RSA-2048 PKCS#1 v1.5 / SHA-256.
let rsa = try CertificateKey.generateRSA(bits: 2048)
let rsaPublic = try _RSA.Signing.PrivateKey(pemRepresentation: rsa.pemRepresentation).publicKey
try measure("rsa-2048", signer: .certificateKey(rsa)) { sig in
    rsaPublic.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: sig), for: message, padding: .insecurePKCS1v1_5)
}

func fmt(_ value: Double, _ width: Int) -> String {
    let text = String(format: "%.0f", value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

print("signatures: envelope verification vs raw swift-crypto verify, same keys, same run (\(options.seconds) s each in 5 alternating slices, document \(document.count) bytes)")
print("algorithm     envelope/s      raw/s   ratio")
for row in rows {
    print(row.algorithm.padding(toLength: 12, withPad: " ", startingAt: 0) + fmt(row.envelopePerSecond, 12) + fmt(row.rawPerSecond, 11)
          + String(format: "  %5.1f%%", row.ratio * 100))
}

struct ChainRow: Codable {
    var algorithm: String
    /// Each document by a certificate whose chain the trust validated before (its window).
    var certificateEnvelopePerSecond: Double
    /// Each document judged by a trust that sees the chain for the first time.
    var firstChainEnvelopePerSecond: Double
}
var chainRows: [ChainRow] = []
if options.chains && options.only == nil {
    // Certificate envelopes: signature plus a two-certificate chain (organization ← XCA-like ← test root) judged at the
    // signing time with key usage, basic constraints and CRL policies.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("webjcase-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let pki = try TestPKI.make(at: dir, organizations: [
        .init(id: "12345678", name: "bench RSA", keyType: .rsa2048),
        .init(id: "23456789", name: "bench P-256", keyType: .p256),
    ], staff: [])
    let trust = try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), production: false)
    let signedAt = ISO8601DateFormatter().date(from: "2026-03-01T10:00:00Z")!
    for (name, id) in [("ecdsa-p256", "23456789"), ("rsa-2048", "12345678")] {
        let issued = pki.organizations[id]!
        let key = try CertificateKey.load(path: issued.key.path)
        let chain = try CertificateChain(pem: String(contentsOf: issued.chain, encoding: .utf8))
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: payloadType, signer: .certificateKey(key), chain: chain)
        let r = await asyncRate(seconds: options.seconds) {
            (try? await envelope.verifyApplicant(document: document, payloadType: payloadType, signedAt: signedAt,
                                                 organization: id, trust: trust).verifiedSignature) != nil
        }
        // The same with the chain new to each trust: trusts made beforehand, each used once.
        let rootsPEM = try String(contentsOf: dir.appendingPathComponent("trust/roots/webjcase-test-root.pem"), encoding: .utf8)
        let fresh = try (0..<max(50, Int(options.seconds * 400))).map { _ in try CertificateTrust(rootsPEM: [rootsPEM], production: false) }
        let start = ContinuousClock.now
        var good = 0
        for each in fresh {
            if (try? await envelope.verifyApplicant(document: document, payloadType: payloadType, signedAt: signedAt,
                                                    organization: id, trust: each).verifiedSignature) != nil { good += 1 }
        }
        let elapsed = ContinuousClock.now - start
        guard good == fresh.count else { throw SyntheticError.data("a first-time chain did not verify") }
        let first = Double(fresh.count) / elapsed.seconds
        chainRows.append(ChainRow(algorithm: name, certificateEnvelopePerSecond: r, firstChainEnvelopePerSecond: first))
    }
    print("with X.509 chain (XCA-like intermediate, test root; validated at the signing time, CRLs checked):")
    print("algorithm   chain known/s  first time/s")
    for row in chainRows {
        print(row.algorithm.padding(toLength: 12, withPad: " ", startingAt: 0) + fmt(row.certificateEnvelopePerSecond, 12)
              + fmt(row.firstChainEnvelopePerSecond, 14))
    }
}

struct Report: Codable {
    var mode = "signatures"
    var seconds: Double
    var documentBytes: Int
    var results: [Row]
    var chains: [ChainRow]
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
print(String(decoding: try encoder.encode(Report(seconds: options.seconds, documentBytes: document.count, results: rows, chains: chainRows)), as: UTF8.self))
