"""Seeded generator of realistic design handbooks for the benchmark.

``generate(out, designs=N, terms=K)`` writes ``out/docs/`` with N designs (1,000-1,500
words each, all six steps, ``entity`` / ``api`` / ``dataflow`` blocks, tables, code,
links between designs and many glossary mentions in every written form: name, plural,
acronym), K glossary term pages, an index page with ``sysdesign`` tables, and optional
padding pages. It also writes the two configurations the benchmark compares:

- ``mkdocs-plain.yml``: Material, ``plugins: [search]``, the same Markdown extensions
  without custom fences, so the plugin's blocks render as plain code (the baseline);
- ``mkdocs-plugin.yml``: the same plus ``sysdesign`` with ``builtin_glossary: false``.

The same seed always gives the same files. Run ``python bench/generate.py --help``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STEP_IDS = ("requirements", "core-entities", "api", "data-flow", "high-level-design", "deep-dives")

# Concepts a design handbook's own glossary typically holds (the shipped fundamentals
# glossary is turned off in the benchmark, so these do not clash with it). An acronym,
# when given, becomes an alias and the term's `abbr` is the expanded name.
BASE_TERMS: list[tuple[str, str, str]] = [
    ("bloom filter", "", "Storage"),
    ("circuit breaker", "", "Fault Tolerance"),
    ("write-ahead log", "WAL", "Storage"),
    ("leader election", "", "Distributed Systems"),
    ("vector clock", "", "Distributed Systems"),
    ("quorum read", "", "Distributed Systems"),
    ("hinted handoff", "", "Distributed Systems"),
    ("read replica", "", "Storage"),
    ("hot partition", "", "Scalability"),
    ("merkle tree", "", "Distributed Systems"),
    ("gossip protocol", "", "Distributed Systems"),
    ("token bucket", "", "Performance"),
    ("leaky bucket", "", "Performance"),
    ("sliding window", "", "Performance"),
    ("dead letter queue", "DLQ", "Fault Tolerance"),
    ("back pressure", "", "Performance"),
    ("idempotency key", "", "Networking"),
    ("materialized view", "", "Storage"),
    ("change data capture", "CDC", "Storage"),
    ("saga", "", "Distributed Systems"),
    ("outbox table", "", "Distributed Systems"),
    ("two-phase commit", "2PC", "Distributed Systems"),
    ("fencing token", "", "Distributed Systems"),
    ("heartbeat", "", "Fault Tolerance"),
    ("retry budget", "", "Fault Tolerance"),
    ("exponential backoff", "", "Fault Tolerance"),
    ("bulkhead", "", "Fault Tolerance"),
    ("sidecar proxy", "", "Networking"),
    ("service mesh", "", "Networking"),
    ("feature flag", "", "Operations"),
    ("blue-green deployment", "", "Operations"),
    ("canary release", "", "Operations"),
    ("object store", "", "Storage"),
    ("inverted index", "", "Storage"),
    ("skip list", "", "Storage"),
    ("log-structured merge tree", "LSM", "Storage"),
    ("commit log", "", "Storage"),
    ("compaction", "", "Storage"),
    ("tombstone", "", "Storage"),
    ("snapshot isolation", "", "Storage"),
    ("optimistic locking", "", "Storage"),
    ("distributed lock", "", "Distributed Systems"),
    ("cache stampede", "", "Performance"),
    ("write-through cache", "", "Performance"),
    ("connection pool", "", "Performance"),
    ("load shedding", "", "Fault Tolerance"),
    ("health check", "", "Fault Tolerance"),
    ("service discovery", "", "Networking"),
    ("edge cache", "", "Networking"),
    ("geo-replication", "", "Distributed Systems"),
    ("hash partition", "", "Scalability"),
    ("range partition", "", "Scalability"),
    ("secondary index", "", "Storage"),
    ("time series database", "TSDB", "Storage"),
    ("message broker", "", "Distributed Systems"),
    ("event sourcing", "", "Distributed Systems"),
    ("stream processor", "", "Scalability"),
    ("presigned URL", "", "Security"),
    ("access token", "", "Security"),
    ("API gateway", "", "Networking"),
    ("reverse proxy", "", "Networking"),
    ("erasure coding", "", "Storage"),
    ("rendezvous hashing", "", "Scalability"),
    ("count-min sketch", "", "Performance"),
    ("geohash", "", "Storage"),
    ("long polling", "", "Networking"),
    ("webhook", "", "Networking"),
    ("service level objective", "SLO", "Operations"),
    ("mutual TLS", "mTLS", "Security"),
    ("role-based access control", "RBAC", "Security"),
]
MODIFIERS = [
    "regional", "tiered", "sharded", "adaptive", "partitioned", "replicated", "versioned",
    "bounded", "elastic", "durable", "hierarchical", "weighted", "lazy", "eager",
    "incremental", "streaming", "cold", "warm", "global", "local", "per-tenant", "leased",
    "signed", "compressed", "encrypted", "batched", "delayed", "priority", "multi-region",
    "cross-zone", "ordered", "rolling", "shadow", "fallback", "primary", "standby",
    "ephemeral", "pinned", "nested", "federated",
]  # fmt: skip
CATEGORIES = [
    "Storage", "Scalability", "Networking", "Performance", "Fault Tolerance",
    "Distributed Systems", "Security", "Operations",
]  # fmt: skip

PRODUCTS = [
    "URL Shortener", "Rate Limiter", "Chat Service", "News Feed", "Web Crawler",
    "Payment Gateway", "Notification Service", "Search Autocomplete", "Photo Storage",
    "Video Transcoder", "Ride Matching", "Hotel Booking", "Ticket Sales", "Leaderboard",
    "Metrics Pipeline", "Log Aggregator", "Key-Value Store", "Job Scheduler",
    "File Sync", "Collaborative Editor", "Ad Click Counter", "Recommendation Service",
    "Inventory Service", "Checkout Flow", "Email Delivery", "Fraud Scoring",
    "Feature Store", "Identity Provider", "Audit Trail", "Webhook Dispatcher",
    "Geo Search", "Price Alerts", "Music Streaming", "Live Comments", "Order Book",
    "Document Index", "Image Thumbnailer", "Config Service", "Secrets Vault",
    "Session Store",
]  # fmt: skip
QUALIFIERS = [
    "Regional", "Multi-tenant", "Internal", "Mobile", "Partner", "Realtime", "Batch",
    "Global", "Low-latency", "Archival", "Enterprise", "Edge", "Self-serve", "Public",
    "Legacy", "Next-gen", "Offline-first", "Event-driven", "Serverless", "Hybrid",
    "Premium", "Community", "Marketplace", "Analytics", "Streaming",
]  # fmt: skip
NOUNS = [
    "Account", "Order", "Message", "Upload", "Session", "Ticket", "Device", "Invoice",
    "Event", "Profile", "Bucket", "Rule", "Job", "Shard", "Snapshot", "Subscription",
    "Channel", "Document", "Route", "Quota", "Payment", "Listing", "Review", "Segment",
]  # fmt: skip
COMPONENTS = [
    "API Gateway", "Ingest Service", "Write Service", "Read Service", "Worker Pool",
    "Scheduler", "Cache Cluster", "Primary Database", "Search Cluster", "Blob Store",
    "Event Bus", "Notifier", "Auth Service", "Billing Service", "Analytics Sink",
    "Admin Console", "Edge Proxy", "Config Store",
]  # fmt: skip
PEOPLE = [
    "alice", "bob", "carol", "dmitri", "farah", "gustavo", "hana", "ivan", "jun", "kemal",
    "lena", "mateo", "nadia", "oscar", "priya", "quinn", "rosa", "sven", "tomoko", "uma",
]  # fmt: skip
TAGS = [
    "storage", "caching", "networking", "messaging", "search", "payments", "security",
    "analytics", "realtime", "batch", "mobile", "ml",
]  # fmt: skip
STATUSES = ["draft", "in-review", "approved", "implemented", "deprecated"]
TYPES = ["string", "int", "int64", "bool", "timestamp", "uuid", "float", "json", "enum", "text"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

PROSE = [
    "The {t} keeps the {c} simple: it only ever talks to one peer at a time.",
    "We chose a {t} because the traffic pattern is bursty and mostly reads.",
    "Without a {t}, every {n} update would reach the {c} directly and the {c} would saturate.",
    "{T} is what lets the {c} survive a zone outage without paging anyone at night.",
    "Operators asked for {ts} on every tier, so the {c} exposes them as configuration.",
    "The cost of a {t} is one extra network hop, about {ms} ms at p99 inside a zone.",
    "A {t} alone does not remove the race; it has to be combined with a {t2}.",
    "Most teams reach for {ts} first and only later discover that {t2s} were the real need.",
    "The {c} writes each {n} once and reads it about {x} times, so {ts} pay for themselves.",
    "Benchmarks on staging showed the {t} handling {k} requests per second per core.",
    "Reviewers questioned whether the {t} was needed; the load test answered the question.",
    "In the first version the {c} kept its own {t}; this design moves it into the {c2}.",
    "Failure of the {t} degrades the service but never loses an acknowledged {n}.",
    "The {A} used here is the same one the {c2} already operates, so no new runbook is needed.",
    "Each {n} carries a version, which makes the {t} safe to retry after a timeout.",
    "Clients see the {t} only indirectly, as a slightly higher tail latency during failover.",
    "We measured {x} {ns} per second at peak, which one {t} handles with headroom.",
    "A second {t} would double the storage bill for a gain nobody could measure.",
    "The team that owns the {c} also owns its {ts} and their alerts.",
    "Capacity grows by adding {c} instances; the {t} needs no coordination to follow.",
]
BULLET = [
    "Store every {n} with its owner and a creation timestamp.",
    "Let an operator replay a failed {n} from the admin console.",
    "Expose the state of each {n} through the public API within {ms} seconds.",
    "Accept {k} new {ns} per second at peak without shedding load.",
    "Keep a full history of {n} changes for at least {x} days.",
    "Reject malformed {ns} with a clear error that names the field.",
    "Notify subscribers when a {n} changes state.",
    "Search {ns} by owner, status and time range.",
]
NFR = [
    ("Latency", "p99 under {ms} ms for reads and {x} ms for writes."),
    ("Throughput", "{k} requests per second at peak, with room to double."),
    ("Availability", "99.9{x} % measured monthly; a zone outage is invisible to users."),
    ("Durability", "an acknowledged {n} is never lost, even when a whole zone fails."),
    ("Cost", "storage grows by at most {x} GB per day."),
]
OUT_OF_SCOPE = [
    "Billing for {ns}; the finance pipeline owns it.",
    "Migrating historic {ns} from the previous system.",
    "A native desktop client.",
    "Cross-company federation of {ns}.",
]
TRADE_OFFS = [
    "**Relational over wide-column.** {Ns} are small and relational, and the workload fits "
    "one {t} per region for years.",
    "**Denormalised counters.** Counting {ns} on every read would cost a scan; a counter "
    "updated through the {t} costs one write.",
    "**Soft deletes.** A deleted {n} becomes a {t2} first, so an accidental delete can be "
    "undone for {x} days.",
]
DEEP_DIVE = {
    "Scalability": "The {c} is stateless and scales out behind the {c2}. State lives in "
    "{ts} keyed by {n} id, so adding a node moves about 1/{x} of the keys.",
    "Consistency": "Writes to one {n} are serialised by a {t}; readers may see a {n} up to "
    "{ms} seconds old through the {t2}, which the product accepts.",
    "Latency": "The hot path is one cache lookup and one {t} check, about {ms} ms in total; "
    "the slow path adds a database read.",
    "Fault tolerance": "Every dependency has a timeout, a {t} and a fallback. When the "
    "{c} is down, {ns} queue in the {t2} and drain when it returns.",
    "Security": "Every call carries a short-lived token checked by the {c}. {Ns} are "
    "encrypted at rest, and the {t} never logs payloads.",
}


@dataclass
class GlossaryTerm:
    """A generated glossary term: its id (file stem), name, acronym and category."""

    id: str
    name: str
    acronym: str
    category: str
    aliases: list[str] = field(default_factory=list)

    def plural(self) -> str:
        """The name with a regular English plural on its last word."""
        if self.name.endswith(("s", "x", "ch", "sh")):
            return self.name + "es"
        if self.name.endswith("y") and self.name[-2] not in "aeiou":
            return self.name[:-1] + "ies"
        return self.name + "s"


@dataclass
class Summary:
    """What ``generate`` wrote."""

    root: Path
    designs: list[str]
    """Source paths (relative to ``docs/``) of the designs."""
    terms: int
    padding: int
    words: list[int]
    """Word count of each design's Markdown body."""

    @property
    def pages(self) -> int:
        """Number of Markdown pages written (index included)."""
        return len(self.designs) + self.terms + self.padding + 1


def slug(text: str) -> str:
    """A file-name friendly form of a title: ``Rate Limiter`` -> ``rate-limiter``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_terms(count: int, rng: random.Random) -> list[GlossaryTerm]:
    """``count`` distinct terms: the base concepts first, then modified ones.

    Every name, alias and acronym is unique (case-insensitively), so the glossary has no
    duplicate keys; about a third of the terms get an acronym alias.
    """
    terms: list[GlossaryTerm] = []
    used: set[str] = set()
    ids: set[str] = set()

    def add(name: str, acronym: str, category: str) -> None:
        keys = {name.casefold()}
        aliases: list[str] = []
        if "-" in name:
            spaced = name.replace("-", " ")
            keys.add(spaced.casefold())
            aliases.append(spaced)
        if acronym and acronym.casefold() not in used:
            keys.add(acronym.casefold())
            aliases.append(acronym)
        else:
            acronym = ""
        term_id = slug(name)
        if keys & used or term_id in ids:
            return
        used.update(keys)
        ids.add(term_id)
        terms.append(GlossaryTerm(term_id, name, acronym, category, aliases))

    for name, acronym, category in BASE_TERMS:
        if len(terms) >= count:
            break
        add(name, acronym, category)
    bases = [(name, category) for name, _, category in BASE_TERMS]
    attempts = 0
    while len(terms) < count:
        attempts += 1
        base, category = rng.choice(bases)
        words = [rng.choice(MODIFIERS)]
        if attempts > 2000 or len(terms) > len(MODIFIERS) * len(bases) // 2:
            words.insert(0, rng.choice(MODIFIERS))
            if words[0] == words[1]:
                continue
        name = " ".join([*words, base])
        acronym = ""
        if rng.random() < 0.35:
            letters = [w[0] for part in name.split() for w in part.split("-") if w]
            if len(letters) >= 3 and all(c.isalpha() for c in letters):
                acronym = "".join(letters).upper()
        add(name, acronym, category)
    return terms


class Writer:
    """Fills prose templates with glossary mentions and design vocabulary."""

    def __init__(self, rng: random.Random, terms: list[GlossaryTerm]) -> None:
        self.rng = rng
        self.terms = terms
        self.picked: list[GlossaryTerm] = []

    def pick_terms(self, count: int) -> None:
        """Choose the terms one page talks about (mentioned several times each)."""
        if not self.terms:
            self.picked = []
            return
        self.picked = self.rng.sample(self.terms, min(count, len(self.terms)))

    def _term(self) -> GlossaryTerm | None:
        return self.rng.choice(self.picked) if self.picked else None

    def mention(self, plural: bool = False) -> str:
        """One written form of a picked term: name, plural or acronym."""
        term = self._term()
        if term is None:
            return "cache layers" if plural else "cache layer"
        if term.acronym and self.rng.random() < 0.4:
            return term.acronym + ("s" if plural else "")
        return term.plural() if plural else term.name

    def fill(self, template: str) -> str:
        """Replace the placeholders of a prose template."""
        rng = self.rng
        noun = rng.choice(NOUNS).lower()
        values: dict[str, str] = {
            "t": self.mention(),
            "t2": self.mention(),
            "ts": self.mention(plural=True),
            "t2s": self.mention(plural=True),
            "c": rng.choice(COMPONENTS),
            "c2": rng.choice(COMPONENTS),
            "n": noun,
            "ns": noun + "s",
            "ms": str(rng.randint(2, 40)),
            "x": str(rng.randint(2, 90)),
            "k": f"{rng.randint(2, 90) * 1000:,}",
        }
        values["T"] = values["t"][:1].upper() + values["t"][1:]
        values["Ns"] = values["ns"].capitalize()
        acronyms = [t for t in self.picked if t.acronym]
        values["A"] = rng.choice(acronyms).acronym if acronyms else values["t"]
        return template.format(**values)

    def paragraph(self, sentences: int) -> str:
        """A paragraph of ``sentences`` filled templates."""
        return " ".join(self.fill(self.rng.choice(PROSE)) for _ in range(sentences))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88).rstrip("\n")


def _entity_block(writer: Writer, rng: random.Random) -> str:
    nouns = rng.sample(NOUNS, 3)
    entities: list[dict[str, Any]] = []
    for index, name in enumerate(nouns):
        props = {"id": "uuid", "owner_id": "uuid"}
        for extra in rng.sample(["status", "created_at", "payload", "version", "region"], 3):
            props[extra] = rng.choice(TYPES)
        if index == 2:  # the short form: a mapping of property name to type
            entities.append({"name": name, "properties": props})
            continue
        entities.append(
            {
                "name": name,
                "notes": writer.fill("Written by the {c}; read through the {t}."),
                "properties": [
                    {"name": key, "type": value, "notes": f"the {key.replace('_', ' ')}"}
                    for key, value in props.items()
                ],
            }
        )
    return "```entity\n" + _dump(entities) + "\n```"


def _api_block(rng: random.Random, noun: str) -> str:
    base = f"/v1/{noun.lower()}s"
    routes: list[dict[str, Any]] = []
    for method in rng.sample(METHODS, 4):
        path = base if method in ("GET", "POST") else base + "/{id}"
        routes.append(
            {
                "method": method,
                "path": path,
                "parameters": {"id": "uuid, path", "limit": "int, optional"}
                if method == "GET"
                else {"body": f"{noun} fields as JSON"},
                "returns": f"{200 if method != 'POST' else 201} with the {noun.lower()}",
                "auth": "bearer token",
            }
        )
    return "```api\n" + _dump({"protocol": "REST over HTTPS", "routes": routes}) + "\n```"


def _dataflow_block(rng: random.Random, lines: int = 8) -> str:
    parts = ["Client"] + rng.sample(COMPONENTS, 4)
    rows = []
    for index in range(lines):
        source, target = parts[index % 4], parts[index % 4 + 1]
        arrow = "-->" if index % 3 == 2 else "->"
        rows.append(f"{source} {arrow} {target}: step {index + 1} of the request")
        if index == 3:
            rows.append("# asynchronous part")
    return "```dataflow\n" + "\n".join(rows) + "\n```"


def design_page(
    title: str, path: str, others: list[tuple[str, str]], writer: Writer, rng: random.Random
) -> str:
    """The Markdown of one design with all six steps complete."""
    writer.pick_terms(rng.randint(25, 45))
    noun = rng.choice(NOUNS)
    status = rng.choice(STATUSES)
    created = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
    related = rng.sample(others, min(2, len(others)))
    design: dict[str, Any] = {
        "status": status,
        "owners": rng.sample(PEOPLE, rng.randint(1, 3)),
        "reviewers": rng.sample(PEOPLE, 2),
        "created": created,
        "updated": created + dt.timedelta(days=rng.randint(0, 120)),
        "summary": f"{title}: {noun.lower()} handling for {rng.choice(TAGS)} workloads.",
    }
    if related:
        design["related"] = [f"designs/{p}" for _, p in related]
    if status in ("approved", "implemented"):
        design["review"] = {
            key: rng.randint(2, 5)
            for key in (
                "problem-solving",
                "solution-design",
                "technical-excellence",
                "communication",
                "steering",
            )
        }
    front = {"title": title, "tags": rng.sample(TAGS, 2), "design": design}
    links = " and ".join(f"[{t}]({p})" for t, p in related) or "no other design"
    w = writer
    out: list[str] = [
        f"---\n{_dump(front)}\n---",
        f"# {title}",
        w.paragraph(3) + f" It builds on {links}.",
        "## Requirements",
        "### Functional requirements",
        "\n".join("- " + w.fill(b) for b in rng.sample(BULLET, 5)),
        "### Non-functional requirements",
        "\n".join(f"- **{name}:** " + w.fill(text) for name, text in NFR),
        "### Out of scope",
        "\n".join("- " + w.fill(b) for b in OUT_OF_SCOPE[: rng.randint(2, 4)]),
        "### Capacity estimates",
        "| Quantity | Assumption | Result |\n|---|---|---|\n"
        + "\n".join(
            f"| {q} | {rng.randint(2, 90)} M {noun.lower()}s per day | "
            f"{rng.randint(2, 900)} {unit} |"
            for q, unit in (
                ("Writes", "per second"),
                ("Reads", "per second"),
                ("Storage", "GB per year"),
                ("Bandwidth", "MB/s"),
            )
        ),
        w.paragraph(2),
        "## Core Entities",
        _entity_block(w, rng),
        w.paragraph(3),
        "### Trade-offs",
        "\n".join("- " + w.fill(t) for t in TRADE_OFFS),
        "## API",
        _api_block(rng, noun),
        w.paragraph(3),
        "## Data Flow",
        _dataflow_block(rng),
        w.paragraph(3),
        "## High-Level Design",
        "### Architecture style",
        w.paragraph(3),
        "### Components",
        "| Component | Responsibility |\n|---|---|\n"
        + "\n".join(
            f"| {c} | " + w.fill(rng.choice(PROSE)).replace("|", "/") + " |"
            for c in rng.sample(COMPONENTS, 4)
        ),
        "### Data storage",
        w.paragraph(2),
        f"```sql\nCREATE TABLE {noun.lower()} (\n  id uuid PRIMARY KEY,\n  owner_id uuid NOT NULL,"
        f"\n  payload jsonb,\n  created_at timestamptz DEFAULT now()\n);\n```",
        "### Communication patterns",
        w.paragraph(2),
        "## Deep Dives",
    ]
    for heading, text in DEEP_DIVE.items():
        out += [f"### {heading}", w.fill(text) + " " + w.paragraph(2)]
    out += [
        "### Rollout",
        "- [x] Security: threat model reviewed\n- [x] Load test at twice the peak\n"
        "- [ ] Runbook for the " + rng.choice(COMPONENTS),
    ]
    body_words = len("\n\n".join(out[1:]).split())
    target = rng.randint(1050, 1450)
    extra: list[str] = []
    while body_words < target:
        sentence = w.paragraph(1)
        extra.append(sentence)
        body_words += len(sentence.split())
    if extra:
        out += ["### Open questions", " ".join(extra)]
    return "\n\n".join(out) + "\n"


def term_page(term: GlossaryTerm, writer: Writer, rng: random.Random, ids: list[str]) -> str:
    """The Markdown of one glossary page, with front matter the plugin reads."""
    writer.pick_terms(8)
    front: dict[str, Any] = {
        "term": term.name[:1].upper() + term.name[1:],
        "aliases": term.aliases,
        "category": term.category,
        "summary": f"A {term.category.lower()} technique: " + writer.fill(rng.choice(PROSE)),
    }
    if term.acronym:
        front["abbr"] = term.name
    see_also = [i for i in rng.sample(ids, min(2, len(ids))) if i != term.id]
    if see_also:
        front["see_also"] = see_also
    return (
        f"---\n{_dump(front)}\n---\n"
        + writer.paragraph(4)
        + "\n\n## In a design review\n\n"
        + writer.paragraph(3)
        + "\n"
    )


def padding_page(number: int, writer: Writer, rng: random.Random) -> str:
    """An ordinary page of about the size of a glossary page, with front matter too.

    The front matter matters: Material's nav template looks up ``icon``, ``subtitle`` and
    ``status`` in every nav item's metadata when it has any, which costs time on every
    page for every item, so padding without front matter would make term pages look
    slower than they are.
    """
    writer.pick_terms(8)
    front = {
        "description": f"Working note {number}.",
        "tags": rng.sample(TAGS, 2),
        "owner": rng.choice(PEOPLE),
        "reviewed": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
    }
    return (
        f"---\n{_dump(front)}\n---\n# Note {number}\n\n"
        + writer.paragraph(4)
        + "\n\n## Follow-up\n\n"
        + writer.paragraph(3)
        + "\n"
    )


INDEX_PAGE = """# Design handbook

A generated handbook for the benchmark: {designs} designs and {terms} glossary terms.

## All designs

```sysdesign
table: designs
columns: [title, status, owners, updated, progress]
sort: -updated
```

## Step completeness

```sysdesign
table: checklist
```
"""

EXTENSIONS = ["attr_list", "toc", "pymdownx.tasklist", "pymdownx.superfences"]


def write_configs(root: Path) -> tuple[Path, Path]:
    """Write ``mkdocs-plain.yml`` and ``mkdocs-plugin.yml``; they differ only in ``plugins``."""
    common: dict[str, Any] = {
        "site_name": "Benchmark handbook",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": list(EXTENSIONS),
    }
    plain = {**common, "plugins": ["search"]}
    plugin = {**common, "plugins": ["search", {"sysdesign": {"builtin_glossary": False}}]}
    paths = (root / "mkdocs-plain.yml", root / "mkdocs-plugin.yml")
    for path, settings in zip(paths, (plain, plugin), strict=True):
        path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return paths


def generate(
    root: Path, designs: int, terms: int, *, pad_glossary_to: int = 0, seed: int = 2026
) -> Summary:
    """Write a handbook of ``designs`` designs and ``terms`` glossary pages under ``root``.

    With ``pad_glossary_to`` larger than ``terms``, ordinary pages under ``notes/`` make up
    the difference, so handbooks with different glossaries have the same page count.
    """
    rng = random.Random(seed)
    docs = root / "docs"
    for folder in ("designs", "glossary", "notes"):
        (docs / folder).mkdir(parents=True, exist_ok=True)
    glossary = make_terms(terms, rng)
    writer = Writer(rng, glossary)
    titles: list[tuple[str, str]] = []
    seen: set[str] = set()
    combos = [(q, p) for q in QUALIFIERS for p in PRODUCTS]
    rng.shuffle(combos)
    for index in range(designs):
        qualifier, product = combos[index % len(combos)]
        title = f"{qualifier} {product}"
        if index >= len(combos):
            title += f" {index // len(combos) + 1}"
        name = slug(title) + ".md"
        assert name not in seen
        seen.add(name)
        titles.append((title, name))
    words: list[int] = []
    for title, name in titles:
        others = [t for t in titles if t[1] != name]
        neighbours = rng.sample(others, min(6, len(others)))
        text = design_page(title, name, neighbours, writer, rng)
        words.append(len(text.split("\n---\n", 1)[1].split()))
        (docs / "designs" / name).write_text(text, encoding="utf-8")
    ids = [t.id for t in glossary]
    for term in glossary:
        (docs / "glossary" / f"{term.id}.md").write_text(
            term_page(term, writer, rng, ids), encoding="utf-8"
        )
    padding = max(0, pad_glossary_to - len(glossary))
    for number in range(1, padding + 1):
        (docs / "notes" / f"note-{number:04d}.md").write_text(
            padding_page(number, writer, rng), encoding="utf-8"
        )
    (docs / "index.md").write_text(
        INDEX_PAGE.format(designs=designs, terms=len(glossary)), encoding="utf-8"
    )
    write_configs(root)
    return Summary(root, [f"designs/{n}" for _, n in titles], len(glossary), padding, words)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/generate.py OUT --designs N --terms K``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder to write (docs/ and two mkdocs configs)")
    parser.add_argument("--designs", type=int, default=100, help="number of designs (N)")
    parser.add_argument("--terms", type=int, default=50, help="number of glossary terms (K)")
    parser.add_argument(
        "--pad-to", type=int, default=0, help="add ordinary pages until terms + pages = this"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    summary = generate(
        args.out, args.designs, args.terms, pad_glossary_to=args.pad_to, seed=args.seed
    )
    words = sorted(summary.words)
    print(
        f"{summary.root}: {len(summary.designs)} designs "
        f"({words[0] if words else 0}-{words[-1] if words else 0} words), "
        f"{summary.terms} terms, {summary.padding} padding pages"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
