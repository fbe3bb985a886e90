from eventing.migrations import run_migrations
from intake.tables import Base

run_migrations(Base.metadata, env_var="INTAKE_DATABASE_URL")
