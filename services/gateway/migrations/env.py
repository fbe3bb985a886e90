from eventing.migrations import run_migrations
from gateway.tables import Base

run_migrations(Base.metadata, env_var="GATEWAY_DATABASE_URL")
