import CaseModel
import CaseStore

/// `report --all`: the index page of every case and organization, filterable by state.
public enum ReportIndex {
    /// The file name of a case's dossier beside the index.
    public static func fileName(_ dossier: Dossier) -> String { dossier.id + ".html" }

    /// `organizations`: each organization's status now.
    public static func render(_ dossiers: [Dossier], organizations: [(id: String, status: String)], authority: String,
                              language: Language) -> String {
        let w = Words(language: language)
        var html = HTMLWriter()
        let title = w(.reportIndexTitle, ["authority": authority])
        html.open(title: title, language: w.htmlLanguage)
        html.raw("<header><h1>\(HTMLWriter.escape(title))</h1></header>\n")
        let states = Array(Set(dossiers.map(\.state))).sorted()
        html.section(w(.reportCases), id: "cases")
        // Filtering needs no network: a select and a few lines of inline script; without
        // scripts (and on paper) every case shows.
        html.raw("<p class=\"filter\"><label for=\"state-filter\">\(HTMLWriter.escape(w(.reportFilter)))</label> <select id=\"state-filter\">")
        html.raw("<option value=\"\">\(HTMLWriter.escape(w(.reportAll)))</option>")
        for state in states {
            html.raw("<option value=\"\(HTMLWriter.escape(state))\">\(HTMLWriter.escape(w.state(state)))</option>")
        }
        html.raw("</select></p>\n<table id=\"case-index\"><thead><tr>")
        for label in ["", w(.reportKind), w(.reportOrganization), w(.reportState), w(.reportSteps), w(.reportLast), w(.reportSubject)] {
            html.raw("<th>\(HTMLWriter.escape(label))</th>")
        }
        html.raw("</tr></thead><tbody>\n")
        for dossier in dossiers {
            let last = dossier.entries.last
            html.raw("<tr class=\"case\" data-state=\"\(HTMLWriter.escape(dossier.state))\">")
            html.raw("<td><a href=\"\(HTMLWriter.escape(fileName(dossier)))\">\(HTMLWriter.escape(dossier.id))</a> \(DossierHTML.markSpan(dossier.mark, w))</td>")
            html.raw("<td>\(HTMLWriter.escape(w.kind(dossier.kind)))</td><td>\(HTMLWriter.escape(dossier.organization))</td>")
            html.raw("<td>\(HTMLWriter.escape(w.state(dossier.state)))</td><td>\(dossier.entries.count)</td>")
            html.raw("<td>\(HTMLWriter.escape(last.map { "\(w.action($0.action)) \($0.signedAt)" } ?? "—"))</td>")
            html.raw("<td>\(HTMLWriter.escape(dossier.subject ?? "—"))</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
        html.endSection()
        html.section(w(.reportOrganizations), id: "organizations")
        html.table(id: "organization-index", headers: [w(.reportOrganization), w(.reportOrgStatus), w(.reportCases)],
                   rows: organizations.map { organization in
                       [organization.id, w.organization(organization.status),
                        dossiers.filter { $0.organization == organization.id }.map(\.id).joined(separator: ", ")]
                   }, rowClass: "organization")
        html.endSection()
        if let verification = dossiers.first?.verification {
            html.raw("<footer><p class=\"verification\">\(HTMLWriter.escape(w(.reportVerification, ["head": String(verification.head.prefix(12)), "commits": "\(verification.commits)", "refused": "\(verification.refused)", "recorded": "\(verification.recorded)"])))</p></footer>\n")
        }
        html.raw("""
        <script>
        (function () {
          var select = document.getElementById('state-filter');
          function apply() {
            var rows = document.querySelectorAll('#case-index tr.case');
            for (var i = 0; i < rows.length; i++) {
              rows[i].hidden = select.value !== '' && rows[i].getAttribute('data-state') !== select.value;
            }
          }
          select.addEventListener('change', apply);
          var match = /state=([^&]+)/.exec(location.hash);
          if (match) { select.value = decodeURIComponent(match[1]); }
          apply();
        })();
        </script>

        """)
        html.close()
        return html.text
    }
}

extension ReportIndex {
    /// The index as Markdown: one table of cases, one of organizations.
    public static func markdown(_ dossiers: [Dossier], organizations: [(id: String, status: String)], authority: String,
                                language: Language) -> String {
        let w = Words(language: language)
        var md = "# \(w(.reportIndexTitle, ["authority": authority]))\n\n## \(w(.reportCases))\n\n"
        md += "| | \(w(.reportKind)) | \(w(.reportOrganization)) | \(w(.reportState)) | \(w(.reportSteps)) |\n|---|---|---|---|---|\n"
        for dossier in dossiers {
            md += "| [\(dossier.id)](\(dossier.id).md) \(w.mark(dossier.mark)) | \(w.kind(dossier.kind)) | \(dossier.organization) | \(w.state(dossier.state)) | \(dossier.entries.count) |\n"
        }
        md += "\n## \(w(.reportOrganizations))\n\n| \(w(.reportOrganization)) | \(w(.reportOrgStatus)) |\n|---|---|\n"
        for organization in organizations { md += "| \(organization.id) | \(w.organization(organization.status)) |\n" }
        return md
    }
}
