"""The fixed vocabularies of the catalog format: technology categories and reference kinds.

The order of CATEGORIES is the order stacks are shown in, from the edge of the network inwards.
"""

CATEGORIES: tuple[str, ...] = (
    "cloud & hosting",
    "CDN",
    "operating system",
    "load balancer",
    "web server / proxy",
    "application server",
    "web framework",
    "language",
    "RPC framework",
    "library",
    "cache",
    "relational database",
    "NoSQL store",
    "storage",
    "search",
    "messaging / queue",
    "data processing & analytics",
    "monitoring & logging",
    "deployment & configuration",
    "tool",
    "service",
    "other",
)

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    "cloud & hosting": "infrastructure and platforms to run on (AWS, App Engine, Heroku, hosting providers)",
    "CDN": "content delivery networks",
    "operating system": "operating systems and kernel facilities",
    "load balancer": "TCP/HTTP load balancers",
    "web server / proxy": "HTTP servers, reverse proxies and HTTP caches in front of applications",
    "application server": "servers that host application code (WSGI/Rack servers, servlet containers)",
    "web framework": "frameworks applications are written in",
    "language": "programming languages and their runtimes",
    "RPC framework": "service-to-service communication and serialization",
    "library": "libraries linked into applications",
    "cache": "in-memory caches and key-value caches",
    "relational database": "SQL databases and their tooling (pooling, replication, migrations)",
    "NoSQL store": "non-relational databases",
    "storage": "file, object and block storage",
    "search": "full-text search engines",
    "messaging / queue": "message brokers, job and task queues",
    "data processing & analytics": "batch and stream processing, analytics stores",
    "monitoring & logging": "metrics, monitoring, alerting, error tracking and log pipelines",
    "deployment & configuration": "deployment, configuration management, CI and process supervision",
    "tool": "developer and operator tools",
    "service": "third-party services that are none of the above (DNS, support desk, analytics)",
    "other": "anything else, including in-house software the source does not name",
}

# Two-letter column headings for charts too narrow for the names (the full name is shown beside them).
CATEGORY_CODES: dict[str, str] = {
    "cloud & hosting": "Cl",
    "CDN": "CD",
    "operating system": "OS",
    "load balancer": "LB",
    "web server / proxy": "WS",
    "application server": "AS",
    "web framework": "WF",
    "language": "La",
    "RPC framework": "RP",
    "library": "Li",
    "cache": "Ca",
    "relational database": "DB",
    "NoSQL store": "NS",
    "storage": "St",
    "search": "Se",
    "messaging / queue": "MQ",
    "data processing & analytics": "DP",
    "monitoring & logging": "Mo",
    "deployment & configuration": "De",
    "tool": "To",
    "service": "Sv",
    "other": "Ot",
}


def category_code(category: str) -> str:
    """The category's two-letter heading; a category outside the vocabulary uses its first letters."""
    return CATEGORY_CODES.get(category) or (category[:2].title() if category else "??")


REFERENCE_KINDS: tuple[str, ...] = (
    "article",
    "blog post",
    "interview",
    "news",
    "talk",
    "slides",
    "video",
    "Q&A",
    "translation",
    "repository",
    "home page",
    "documentation",
    "paper",
    "social profile",
    "link",
)

URL_CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
