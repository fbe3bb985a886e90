"""Decide on each submitted request; for now every request gets a new BIS number (issue 4 adds search)."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import InfoProvided, NumberAssigned, RequestCancelled, RequestData, RequestSubmitted
from eventing.outbox import Outbox
from matching.bis_repository import allocate_for_request
from matching.tables import Decision


class MatchingHandlers:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def on_request_submitted(self, event: RequestSubmitted, tx: AsyncSession) -> None:
        await self._decide(event, event.data, tx)

    async def on_info_provided(self, event: InfoProvided, tx: AsyncSession) -> None:
        await self._decide(event, event.data, tx)

    async def on_request_cancelled(self, event: RequestCancelled, tx: AsyncSession) -> None:
        """Nothing to close yet: review cases arrive with issue 4."""

    async def _decide(self, event: RequestSubmitted | InfoProvided, data: RequestData,
                      tx: AsyncSession) -> None:
        ssin = await allocate_for_request(tx, event.request_id, data.person.birth_date, data.person.sex)
        tx.add(Decision(request_id=event.request_id, version=event.request_version,
                        employer_id=event.employer_id, outcome="new_bis", ssin=ssin,
                        explanation={"rule": "no registry search yet: new BIS number"}))
        await self.outbox.stage(tx, NumberAssigned(
            producer="matching", request_id=event.request_id, employer_id=event.employer_id,
            request_version=event.request_version, correlation_id=event.correlation_id or event.event_id,
            causation_id=event.event_id, ssin=ssin, kind="new_bis"))

    def table(self):
        return {
            RequestSubmitted: self.on_request_submitted,
            InfoProvided: self.on_info_provided,
            RequestCancelled: self.on_request_cancelled,
        }
