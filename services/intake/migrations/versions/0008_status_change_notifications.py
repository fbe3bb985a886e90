"""a request's status change is announced on LISTEN/NOTIFY channel intake_status

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:50:00.000000

Long polls (GET /requests/{id}?wait=…) wait on it. A trigger, so that every path that moves a
status (decisions, cancel, answers, batches) announces it; NOTIFY is sent at commit, the payload is
the request id only.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION notify_request_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('intake_status', NEW.id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER requests_status_changed
        AFTER UPDATE OF status ON requests
        FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION notify_request_status()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER requests_status_changed ON requests")
    op.execute("DROP FUNCTION notify_request_status()")
