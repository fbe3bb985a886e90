"""Embedded infrastructure for development and tests: Kafka-protocol broker, PostgreSQL, SMTP."""

from devstack.broker import Broker, BrokerError, create_topics
from devstack.databases import create_fresh_database, ensure_service_database
from devstack.mailbox import Mail, Mailbox
from devstack.postgres import EmbeddedPostgres, PostgresError
from devstack.smtp import SmtpSink

__all__ = [
    "Broker",
    "BrokerError",
    "EmbeddedPostgres",
    "Mail",
    "Mailbox",
    "PostgresError",
    "SmtpSink",
    "create_fresh_database",
    "create_topics",
    "ensure_service_database",
]
