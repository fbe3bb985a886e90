from eventing.migrations import run_migrations
from webhooks.tables import Base

run_migrations(Base.metadata, env_var="WEBHOOKS_DATABASE_URL")
