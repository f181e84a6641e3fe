import CaseModel
import CaseStore

/// A dossier's "next" box: what may happen next in a case that has not ended, as
/// `webjcase next` says it (headings, then each action with what is said of it).
enum NextBox {
    /// The report's lines grouped: each heading (depth 0) with the actions under it
    /// (depth 1), each with its remarks (depth 2).
    static func groups(_ lines: [(depth: Int, text: String)]) -> [(heading: String, actions: [(text: String, remarks: [String])])] {
        var groups: [(heading: String, actions: [(text: String, remarks: [String])])] = []
        for (depth, text) in lines {
            switch depth {
            case 0: groups.append((text, []))
            case 1 where !groups.isEmpty: groups[groups.count - 1].actions.append((text, []))
            default:
                guard !groups.isEmpty, !groups[groups.count - 1].actions.isEmpty else { continue }
                let last = groups[groups.count - 1].actions.count - 1
                groups[groups.count - 1].actions[last].remarks.append(text)
            }
        }
        return groups
    }
}

extension DossierHTML {
    static func next(_ dossier: Dossier, _ w: Words, into html: inout HTMLWriter) {
        guard let next = dossier.next else { return }
        html.section(w(.reportNext), id: "next")
        for group in NextBox.groups(next.lines(w.language)) {
            html.raw("<p class=\"next-heading\">\(HTMLWriter.escape(group.heading))</p>")
            guard !group.actions.isEmpty else { continue }
            html.raw("<ul class=\"next\">")
            for action in group.actions {
                html.raw("<li><strong>\(HTMLWriter.escape(action.text))</strong>")
                if !action.remarks.isEmpty {
                    html.raw("<ul>" + action.remarks.map { "<li>\(HTMLWriter.escape($0))</li>" }.joined() + "</ul>")
                }
                html.raw("</li>")
            }
            html.raw("</ul>\n")
        }
        html.endSection()
    }
}

extension DossierMarkdown {
    static func next(_ dossier: Dossier, language: Language) -> String {
        guard let next = dossier.next else { return "" }
        var md = "\n## \(Catalogue.render(.reportNext, [:], language))\n\n"
        for group in NextBox.groups(next.lines(language)) {
            md += "\(group.heading)\n\n"
            for action in group.actions {
                md += "- **\(action.text)**\n" + action.remarks.map { "  - \($0)\n" }.joined()
            }
            if !group.actions.isEmpty { md += "\n" }
        }
        return md
    }
}
