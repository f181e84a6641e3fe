/// What `webjcase template hub` and `webjcase template policy` print: the files the hub's
/// IT team writes, with what each field holds.
public enum ConfigTemplate {
    /// A hub config that `hub init` takes as it stands once the files it names exist.
    public static let hub = """
    kind: "hub"
    format: 1
    policy: "policy.yaml"        # the first policy of every jurisdiction (webjcase trust new-policy writes one)
    node: "centre"               # the Centre node that makes each repository's first commit (centre-node in the policy)
    key: "keys/centre"           # that node's private key (webjcase keys new keys/centre)
    hubKey: "keys/hub"           # the hub's own key: it signs receipts only (role hub in the policy)
    jurisdictions:               # one repository each: <root>/<id>.git and <root>/<id>.personal.git
      - {id: "edu", name: "臺南市政府教育局"}
      - {id: "social", name: "臺南市政府社會局"}
    tokens: []                   # each node's line, from: webjcase hub token NODE --policy policy.yaml --out NODE.token
    # serve:                     # optional limits of `webjcase serve` (defaults shown)
    #   headerTimeout: 20        # seconds to a request's complete head
    #   idleTimeout: 30          # seconds a client may stay silent
    #   bodyTimeout: 300         # seconds a whole request body may take
    #   connectionsPerClient: 16

    """

    /// A policy is made from public keys, not by hand; this shows its shape.
    public static let policy = """
    # A policy names every key that may sign, with its roles. Write it from public keys:
    #
    #   webjcase trust new-policy --admin keys/lin.admin.pub --admin keys/kim.admin.pub --threshold 2 \\
    #     --centre-node keys/centre.pub --hub keys/hub.pub --agency-node keys/edu1.pub:edu \\
    #     --clerk keys/chen.clerk.pub:edu --authority-reviewer keys/wang.reviewer.pub:edu \\
    #     --centre-reviewer keys/lee.centre.pub --centre-staff keys/kao.staff.pub --out policy.yaml
    #
    # It writes, for example:
    #
    # kind: "policy"
    # version: 1
    # mode: "production"            # production (real cases) or test (test roots, a settable clock)
    # threshold: 2                  # admins who must sign each change of trust
    # identities:
    #   - {name: "lin.admin", key: "ssh-ed25519 AAAA…", roles: ["admin"]}
    #   - {name: "edu1", key: "ssh-ed25519 AAAA…", roles: ["agency-node"], jurisdiction: "edu"}
    #   - {name: "chen.clerk", key: "ssh-ed25519 AAAA…", roles: ["clerk"], jurisdiction: "edu"}
    #
    # Roles: admin, clerk, authority-reviewer, centre-reviewer, centre-staff, agency-node,
    # centre-node, hub, auditor. Later changes (a new clerk, a revoked key) are proposals the
    # admins sign: webjcase trust sign trust/policy.yaml --key keys/lin.admin (docs/format.md §5.2).

    """
}
