import Foundation
import Testing
import CaseModel
import CaseStore
import TestSupport
@testable import CaseHub

/// What serve takes a request path for, before any token is looked at: only git's smart
/// protocol on `<jurisdiction>.git` and `<jurisdiction>.personal.git`.
@Suite struct HubRouteTests {
    @Test func gitsSmartProtocolIsRouted() throws {
        let cases: [(path: String, query: String, repository: String, jurisdiction: String, personal: Bool, write: Bool)] = [
            ("/edu.git/info/refs", "service=git-upload-pack", "edu.git", "edu", false, false),
            ("/edu.git/info/refs", "service=git-receive-pack", "edu.git", "edu", false, true),
            ("/edu.git/git-upload-pack", "", "edu.git", "edu", false, false),
            ("/edu.git/git-receive-pack", "", "edu.git", "edu", false, true),
            // The personal store is edu's, not a jurisdiction named `edu.personal`.
            ("/edu.personal.git/git-receive-pack", "", "edu.personal.git", "edu", true, true),
            ("/edu.personal.git/info/refs", "service=git-upload-pack", "edu.personal.git", "edu", true, false),
            ("/social2.git/info/refs", "x=1&service=git-receive-pack", "social2.git", "social2", false, true),
        ]
        for expected in cases {
            let route = try #require(GitRoute(path: expected.path, query: expected.query), "\(expected.path)?\(expected.query)")
            #expect(route.repository == expected.repository)
            #expect(route.jurisdiction == expected.jurisdiction)
            #expect(route.personal == expected.personal)
            #expect(route.write == expected.write, "\(expected.path)?\(expected.query)")
            #expect(route.pathInfo == expected.path)
            #expect(route.query == expected.query)
        }
        #expect(GitRoute.reading("edu.git") == GitRoute(path: "/edu.git/git-upload-pack", query: ""))
        #expect(GitRoute.reading("edu.git")?.write == false)
    }

    @Test func hostilePathsAreNotRouted() {
        let refused: [(path: String, query: String)] = [
            ("/edu.git/../social.git/git-receive-pack", ""),
            ("/../edu.git/git-upload-pack", ""),
            ("/edu.git/./git-upload-pack", ""),
            ("/./edu.git/git-upload-pack", ""),
            ("/edu.git/info/../git-receive-pack", ""),
            ("/edu/git-upload-pack", ""),                     // no .git
            ("/edu.git", ""),                                 // no service
            ("/", ""),
            ("", ""),
            ("/.git/git-upload-pack", ""),                    // no name
            ("/.personal.git/git-upload-pack", ""),
            ("/EDU.git/git-upload-pack", ""),                 // not a short name
            ("/e.git/git-upload-pack", ""),
            ("/abcdefghijklmnopq.git/git-upload-pack", ""),   // 17 characters
            ("/edu-1.git/git-upload-pack", ""),
            ("/edu.personal.personal.git/git-upload-pack", ""),
            ("/教育.git/git-upload-pack", ""),
            ("/edu.git/info/refs", ""),                       // the dumb protocol
            ("/edu.git/info/refs", "service=git-upload-archive"),
            ("/edu.git/info/refs", "service="),
            ("/edu.git/HEAD", ""),
            ("/edu.git/objects/info/packs", ""),
            ("/edu.git/git-upload-pack/more", ""),
            ("/edu.git/hooks/pre-receive", ""),
            ("/edu.git/config", ""),
        ]
        for request in refused {
            #expect(GitRoute(path: request.path, query: request.query) == nil, "\(request.path)?\(request.query)")
        }
        #expect(GitRoute.reading("notes.txt") == nil)
        #expect(GitRoute.reading("..") == nil)
    }

    @Test func theLayoutNamesEveryRepository() throws {
        let layout = HubLayout(root: "/srv/hub")
        #expect(layout.caseRepository("edu") == "/srv/hub/edu.git")
        #expect(layout.personalStore("edu") == "/srv/hub/edu.personal.git")
        #expect(HubLayout.caseRepositoryName("social") == "social.git")
        #expect(HubLayout.personalStoreName("social") == "social.personal.git")
        #expect(HubLayout(containing: "/srv/hub/edu.git") == layout)
        #expect(HubLayout(containing: "/srv/other/../hub/edu.personal.git/") == layout)

        #expect(HubLayout.entry("edu.git") == .cases(jurisdiction: "edu"))
        #expect(HubLayout.entry("edu.personal.git") == .personal(jurisdiction: "edu"))
        #expect(HubLayout.entry(".git") == nil)
        #expect(HubLayout.entry("edu") == nil)
        #expect(HubLayout.entry("edu.personal") == nil)
        #expect(HubLayout.entry(".webjcase-scratch") == nil)

        #expect(HubLayout.jurisdiction(ofDirectory: "/srv/hub/edu.git") == "edu")
        #expect(HubLayout.jurisdiction(ofDirectory: "/srv/hub/edu.personal.git/") == "edu")
        #expect(HubLayout.jurisdiction(ofDirectory: "/srv/hub/plain") == "plain")
        #expect(HubLayout.caseRepository(ofPersonalStore: "/srv/hub/social.personal.git") == "/srv/hub/social.git")
        #expect(HubLayout.caseRepository(ofPersonalStore: "/srv/hub/social.git") == nil)

        #expect(HubLayout.personalURL(ofCaseURL: "https://hub.example:8443/edu.git") == "https://hub.example:8443/edu.personal.git")
        #expect(HubLayout.personalURL(ofCaseURL: "/srv/hub/edu.git") == "/srv/hub/edu.personal.git")
        #expect(HubLayout.personalURL(ofCaseURL: "https://hub.example/edu") == "https://hub.example/edu.personal")
    }

    @Test func theLayoutListsCaseRepositoriesOnly() throws {
        let work = try TemporaryDirectory("hub-layout")
        for name in ["social.git", "edu.personal.git", "edu.git", "notes", ".git"] {
            try FileManager.default.createDirectory(atPath: work.file(name), withIntermediateDirectories: true)
        }
        try work.write("readme.txt", "x")
        #expect(HubLayout(root: work.path).caseRepositoryNames() == ["edu.git", "social.git"])
        #expect(HubLayout(root: work.file("missing")).caseRepositoryNames().isEmpty)
    }

    @Test func limitsTakeTheConfigOverTheDefaults() {
        #expect(HubLimits(nil) == .defaults)
        let set = HubLimits(HubConfig.ServeLimits(headerTimeout: 5, connectionsPerClient: 2))
        #expect(set == HubLimits(headerTimeout: 5, idleTimeout: HubLimits.defaults.idleTimeout,
                                 bodyTimeout: HubLimits.defaults.bodyTimeout, connectionsPerClient: 2))
    }

    @Test func clientsHoldAtMostTheirShareAndTheServerItsTotal() {
        let clients = HubClients(limit: 2, totalLimit: 3)
        #expect(clients.enter("a") && clients.enter("a"))
        #expect(!clients.enter("a"), "a third connection of one client")
        #expect(clients.enter("b"))
        #expect(!clients.enter("c"), "the server holds its total")
        clients.leave("a")
        #expect(clients.enter("c"))
        #expect(!clients.enter("a"))
        clients.leave("b")
        clients.leave("never-entered")  // counts nothing
        #expect(clients.enter("a"))
        #expect(!clients.enter("d"))
        // The total is never below one client's share.
        #expect(HubClients(limit: 8, totalLimit: 2).totalLimit == 8)
    }

    @Test func refusalsSayTheirRuleInBothLanguages() {
        let body = HubRefusal.access.body(Message(.hubMayNotRead, ["node": "edu1", "repository": "social.git"]))
        let lines = body.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("[HUB-ACCESS] ") })
        #expect(lines[0] == "[HUB-ACCESS] edu1 may not read social.git.")
        #expect(lines[1].contains("edu1") && lines[1].contains("social.git") && lines[1] != lines[0])
    }
}
