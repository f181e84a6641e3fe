import CaseModel
import CaseStore

/// A dossier as one self-contained HTML page: no scripts, fonts or images from anywhere,
/// a print stylesheet for the paper copy a clerk files.
public enum DossierHTML {
    public static func render(_ dossier: Dossier, language: Language) -> String {
        let w = Words(language: language)
        var html = HTMLWriter()
        html.open(title: w(.reportTitle, ["case": dossier.id]), language: w.htmlLanguage)
        html.raw("<header><h1>\(HTMLWriter.escape(w(.reportTitle, ["case": dossier.id])))</h1>")
        html.raw("<p class=\"overall\">\(markSpan(dossier.mark, w))</p></header>\n")

        html.section(w(.reportSummary), id: "summary")
        html.definitions([
            (w(.reportKind), "\(w.kind(dossier.kind)) (\(dossier.kind))"),
            (w(.reportOrganization), dossier.organization),
            (w(.reportAuthority), "\(dossier.authority) (\(dossier.jurisdiction))"),
            (w(.reportState), "\(w.state(dossier.state)) (\(dossier.state))"),
            (w(.reportSubject), dossier.subject ?? "—"),
            (w(.reportOpenedBy), dossier.openedBy),
        ])
        html.endSection()

        html.section(w(.reportTimeline), id: "timeline")
        html.raw("<table class=\"timeline\"><thead><tr>")
        for label in [w(.reportStep), w(.reportAction), w(.reportSigner), w(.reportSignedAt), w(.reportReceivedAt), w(.reportDocuments)] {
            html.raw("<th>\(HTMLWriter.escape(label))</th>")
        }
        html.raw("</tr></thead><tbody>\n")
        for entry in dossier.entries { timelineRow(entry, w, into: &html) }
        html.raw("</tbody></table>\n")
        html.endSection()

        if let enforcement = dossier.enforcement { self.enforcement(enforcement, w, into: &html) }

        if !dossier.due.isEmpty {
            html.section(w(.reportDue), id: "due")
            html.raw("<ul class=\"due\">")
            for item in dossier.due {
                html.raw("<li class=\"\(item.overdue ? "overdue" : "")\">\(HTMLWriter.escape(item.message.render(language)))</li>")
            }
            html.raw("</ul>\n")
            html.endSection()
        }
        next(dossier, w, into: &html)
        if !dossier.problems.isEmpty {
            html.section(w(.reportFindings), id: "findings")
            problems(dossier.problems, language, into: &html)
            html.endSection()
        }
        let verification = dossier.verification
        html.raw("<footer><p class=\"verification\">\(HTMLWriter.escape(w(.reportVerification, ["head": String(verification.head.prefix(12)), "commits": "\(verification.commits)", "refused": "\(verification.refused)", "recorded": "\(verification.recorded)"])))</p>")
        html.raw("<p>\(HTMLWriter.escape(w(.reportGenerated, ["at": dossier.generatedAt])))</p></footer>\n")
        html.close()
        return html.text
    }

    static func markSpan(_ mark: Dossier.Mark, _ w: Words) -> String {
        "<span class=\"mark \(mark.rawValue)\" data-mark=\"\(mark.rawValue)\">\(HTMLWriter.escape(w.mark(mark)))</span>"
    }

    private static func timelineRow(_ entry: Dossier.Entry, _ w: Words, into html: inout HTMLWriter) {
        html.raw("<tr class=\"step \(entry.mark.rawValue)\" id=\"step-\(entry.sequence)\">")
        html.raw("<td class=\"sequence\">\(entry.sequence)</td>")
        html.raw("<td><strong>\(HTMLWriter.escape(w.action(entry.action)))</strong><br><code>\(HTMLWriter.escape(entry.action))</code>")
        if !entry.details.isEmpty {
            html.raw("<dl class=\"details\">")
            for detail in entry.details {
                let value = detail.personal ? "<span class=\"personal\">\(HTMLWriter.escape(w(.reportPersonal)))</span>" : HTMLWriter.escape(detail.value)
                html.raw("<dt>\(HTMLWriter.escape(detail.key))</dt><dd>\(value)</dd>")
            }
            html.raw("</dl>")
        }
        html.raw("</td><td class=\"signer\">\(HTMLWriter.escape(w.signer(entry.signer)))")
        if let subject = entry.signer.subject {
            html.raw("<br><span class=\"subject\">\(HTMLWriter.escape(w(.reportCertificate))): \(HTMLWriter.escape(subject))</span>")
        }
        html.raw("<br><span class=\"key\">\(HTMLWriter.escape(w(.reportKey))): \(HTMLWriter.escape(entry.signer.key))</span>")
        if let node = entry.node { html.raw("<br><span class=\"node\">\(HTMLWriter.escape(w(.reportNode))): \(HTMLWriter.escape(node))</span>") }
        html.raw("</td><td class=\"time\">\(HTMLWriter.escape(entry.signedAt))</td>")
        html.raw("<td class=\"time\">\(HTMLWriter.escape(entry.receivedAt ?? w(.reportNoReceipt)))")
        if let commit = entry.commit { html.raw("<br><code class=\"commit\" title=\"\(commit)\">\(commit.prefix(12))</code>") }
        html.raw("</td><td><ul class=\"documents\">")
        for document in entry.documents {
            html.raw("<li class=\"document \(document.role.rawValue)\"><code>\(HTMLWriter.escape(document.path))</code> \(markSpan(document.mark, w))")
            if let certificate = document.certificate {
                let valid = certificate.validAtSigning.map { $0 ? "valid" : "invalid" } ?? "unknown"
                html.raw("<dl class=\"certificate\" data-form=\"\(certificate.form.rawValue)\" data-valid=\"\(valid)\">")
                for (label, value) in w.certificate(certificate) {
                    html.raw("<dt>\(HTMLWriter.escape(label))</dt><dd>\(HTMLWriter.escape(value))</dd>")
                }
                html.raw("</dl>")
            } else if let subject = document.subject {
                html.raw("<br><span class=\"subject\">\(HTMLWriter.escape(w(.reportCertificate))): \(HTMLWriter.escape(subject))</span>")
            }
            if !document.problems.isEmpty { problems(document.problems, w.language, into: &html) }
            html.raw("</li>")
        }
        html.raw("</ul>")
        if !entry.problems.isEmpty { problems(entry.problems, w.language, into: &html) }
        html.raw("</td></tr>\n")
    }

    private static func problems(_ problems: [Dossier.Problem], _ language: Language, into html: inout HTMLWriter) {
        html.raw("<ul class=\"problems\">")
        for problem in problems {
            html.raw("<li class=\"\(problem.severity)\"><code>[\(HTMLWriter.escape(problem.rule))]</code> \(HTMLWriter.escape(problem.text(language)))</li>")
        }
        html.raw("</ul>")
    }

    private static func enforcement(_ e: Dossier.Enforcement, _ w: Words, into html: inout HTMLWriter) {
        html.section(w(.reportNotice), id: "notice")
        html.definitions([
            (w(.reportNoticeLetter), e.noticeLetter ?? "—"),
            (w(.reportTracker), e.tracker ?? "—"),
            (w(.reportDeadline), [e.deadline, e.deadlineEnds.map { "\(w(.reportDeadlineEnds)): \(w.period($0))" }].compactMap { $0 }.joined(separator: " · ")),
            (w(.reportDeadlineInForce), [e.deadlineInForce, e.deadlineInForceEnds.map { "\(w(.reportDeadlineEnds)): \(w.period($0))" }].compactMap { $0 }.joined(separator: " · ")),
        ])
        if !e.items.isEmpty {
            html.raw("<h3>\(HTMLWriter.escape(w(.reportItems)))</h3><ul class=\"items\">")
            for item in e.items { html.raw("<li>\(HTMLWriter.escape(item))</li>") }
            html.raw("</ul>\n")
        }
        if !e.extensions.isEmpty {
            html.raw("<h3>\(HTMLWriter.escape(w(.reportExtensions)))</h3>")
            html.table(id: "extensions", headers: [w(.reportRequestedAt), w(.reportRequestedUntil), w(.reportReason), w(.reportDecidedAt), w(.reportDecision)],
                       rows: e.extensions.map { [$0.requestedAt, $0.requestedUntil, $0.reason, $0.decidedAt ?? "—", w.decision($0)] }, rowClass: "extension")
        }
        if !e.replies.isEmpty {
            html.raw("<h3>\(HTMLWriter.escape(w(.reportReplies)))</h3>")
            html.table(id: "replies", headers: [w(.reportChannel), w(.reportReceived), w(.reportConfirmed)],
                       rows: e.replies.map { [$0.channel, $0.receivedAt, $0.confirmedAt ?? "—"] }, rowClass: "reply")
        }
        html.raw("<h3>\(HTMLWriter.escape(w(.reportTrackingTable)))</h3>")
        html.raw("<p class=\"tracking-count\">\(HTMLWriter.escape(w(.reportTrackingCount, ["count": "\(e.trackings.count)", "limit": "\(e.trackingLimit)"])))</p>")
        html.table(id: "trackings", headers: [w(.reportRound), w(.reportDate), w(.reportTracker), w(.reportResult), w(.reportNotes)],
                   rows: e.trackings.map { ["\($0.round)", $0.at, $0.tracker, w.result($0.result), $0.notes] }, rowClass: "tracking")
        html.endSection()
        if e.terminationDate != nil || e.serviceDisabledAt != nil {
            html.section(w(.reportTermination), id: "termination")
            html.definitions([
                (w(.reportTerminationDate), e.terminationDate ?? "—"),
                (w(.reportDisableFrom), e.serviceDisableFrom ?? "—"),
                (w(.reportDisabledAt), e.serviceDisabledAt ?? "—"),
            ])
            html.endSection()
        }
    }
}

/// Builds an HTML page with its embedded stylesheet; every text goes through `escape`.
struct HTMLWriter {
    private(set) var text = ""

    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    mutating func raw(_ html: String) { text += html }

    mutating func open(title: String, language: String, script: String? = nil) {
        text += """
        <!DOCTYPE html>
        <html lang="\(language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="webjcase">
        <title>\(Self.escape(title))</title>
        <style>\(Self.style)</style>
        </head>
        <body>

        """
        if let script { text += "<script>\(script)</script>\n" }
    }

    mutating func close() { text += "</body>\n</html>\n" }

    mutating func section(_ title: String, id: String) {
        text += "<section id=\"\(id)\"><h2>\(Self.escape(title))</h2>\n"
    }

    mutating func endSection() { text += "</section>\n" }

    mutating func definitions(_ pairs: [(String, String)]) {
        text += "<dl class=\"summary\">"
        for (label, value) in pairs { text += "<dt>\(Self.escape(label))</dt><dd>\(Self.escape(value))</dd>" }
        text += "</dl>\n"
    }

    mutating func table(id: String, headers: [String], rows: [[String]], rowClass: String) {
        text += "<table id=\"\(id)\"><thead><tr>" + headers.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { text += "<tr class=\"\(rowClass)\">" + row.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>" }
        text += "</tbody></table>\n"
    }

    /// Screen and print: system fonts only (Noto CJK where installed), no colour needed to
    /// read a mark (each has its symbol and word), rows never split across pages.
    static let style = """

    :root { color-scheme: light; }
    body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #111; line-height: 1.45; }
    h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #333; margin-top: 2rem; } h3 { font-size: 1.05rem; margin-bottom: .3rem; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
    th, td { border: 1px solid #999; padding: .3rem .45rem; vertical-align: top; text-align: left; }
    th { background: #eee; }
    dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
    dl.summary dt { font-weight: bold; } dl.summary dd { margin: 0; }
    dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; font-size: .8rem; color: #333; margin: .3rem 0 0; }
    dl.details dd { margin: 0; overflow-wrap: anywhere; }
    dl.certificate { display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; font-size: .78rem; color: #444; margin: .2rem 0 .4rem; }
    dl.certificate dd { margin: 0; overflow-wrap: anywhere; } dl.certificate[data-valid="invalid"] { color: #b00020; }
    .mark { font-weight: bold; white-space: nowrap; }
    .mark.verified { color: #0a6b2d; } .mark.recorded { color: #8a5a00; } .mark.refused { color: #b00020; }
    tr.step.recorded { background: #fff8e1; } tr.step.refused { background: #fdecee; }
    .subject, .key, .node, .commit { font-size: .78rem; color: #444; overflow-wrap: anywhere; }
    ul.documents, ul.problems { margin: 0; padding-left: 1rem; } ul.problems li { font-size: .82rem; }
    li.refuse { color: #b00020; } li.record { color: #8a5a00; } li.overdue { font-weight: bold; }
    .personal { font-style: italic; color: #555; }
    td.time { white-space: nowrap; font-size: .85rem; }
    footer { margin-top: 2rem; font-size: .85rem; color: #333; border-top: 1px solid #999; }
    .filter { margin: 1rem 0; }
    @media print {
      body { margin: 0; max-width: none; font-size: 10pt; }
      .filter, .noprint { display: none; }
      tr, li, dl { page-break-inside: avoid; break-inside: avoid; }
      thead { display: table-header-group; }
      a { color: inherit; text-decoration: none; }
      .mark.verified, .mark.recorded, .mark.refused { color: #000; }
      tr.step.recorded, tr.step.refused { background: none; }
      section { break-before: auto; }
      @page { size: A4; margin: 15mm; }
    }

    """
}
