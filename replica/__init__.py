"""A practice replica of Pinterest's privacy settings, for the engine's tests and for `optout demo`."""

from replica.app import create_app
from replica.config import FAULTS, VARIANTS, ConfigError, ReplicaConfig
from replica.server import ReplicaServer, serve
from replica.store import ReplicaStore, UnknownSession

__all__ = [
    "FAULTS",
    "VARIANTS",
    "ConfigError",
    "ReplicaConfig",
    "ReplicaServer",
    "ReplicaStore",
    "UnknownSession",
    "create_app",
    "serve",
]
