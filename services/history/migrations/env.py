from eventing.migrations import run_migrations
from history.tables import Base

run_migrations(Base.metadata, env_var="HISTORY_DATABASE_URL")
