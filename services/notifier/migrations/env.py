from eventing.migrations import run_migrations
from notifier.tables import Base

run_migrations(Base.metadata, env_var="NOTIFIER_DATABASE_URL")
