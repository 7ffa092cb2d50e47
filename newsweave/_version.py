"""The version of newsweave, in one place: the package, the CLI, the web app and the User-Agent read it here."""

__version__ = "0.1.0"
