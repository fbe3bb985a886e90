from eventing.migrations import run_migrations
from matching.tables import Base

run_migrations(Base.metadata, env_var="MATCHING_DATABASE_URL")
