"""mkdocs-sysdesign: six-step system designs as a navigable MkDocs handbook."""

__version__ = "0.1.0"
