"""Estimated m/u models by version: the newest active one weighs decisions; labels for the next."""

import json
import time
from importlib import resources

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.model import PRIOR, Model
from matching.tables import MatchLabel, MatchModel


def packaged_model() -> Model:
    """The model shipped with the service (estimated on the synthetic tuning set), else the prior.

    A registry's own estimate (`idpro-matching-estimate`) takes over as soon as it is stored.
    """
    shipped = resources.files("matching") / "trained_model.json"
    if not shipped.is_file():
        return PRIOR
    return Model.from_json(json.loads(shipped.read_text()))


DEFAULT = packaged_model()


class Models:
    """The active model, re-read at most every `ttl_s` seconds (a new estimate takes over)."""

    def __init__(self, *, ttl_s: float = 60.0, fixed: Model | None = None) -> None:
        self.ttl_s, self.fixed = ttl_s, fixed
        self._model, self._read = DEFAULT, float("-inf")

    async def current(self, tx: AsyncSession) -> Model:
        if self.fixed is not None:
            return self.fixed
        now = time.monotonic()
        if now - self._read > self.ttl_s:
            self._model, self._read = await active_or_default(tx), now
        return self._model


async def active_or_default(tx: AsyncSession) -> Model:
    """The registry's active estimate, or the shipped model when it has none."""
    return await load_active_model(tx) or DEFAULT


async def load_active_model(tx: AsyncSession) -> Model | None:
    row = await tx.scalar(
        select(MatchModel)
        .where(MatchModel.active)
        .order_by(MatchModel.created_at.desc(), MatchModel.version)
        .limit(1)
    )
    return None if row is None else Model.from_json(row.params | {"version": row.version})


async def save_model(tx: AsyncSession, model: Model) -> None:
    """Store `model` as the active one (earlier ones stay, inactive, for explanations)."""
    await tx.execute(update(MatchModel).values(active=False))
    data = model.to_json()
    await tx.execute(
        insert(MatchModel).values(
            version=model.version,
            params={"params": data["params"]},
            source=model.source,
            active=True,
        )
    )


def save_labels(tx: AsyncSession, case_id, labels: list[tuple[int, bool, dict]], *, by: str):
    """An agent's verdict on each candidate of a case: (person_id, is_match, levels)."""
    for person_id, is_match, levels in labels:
        tx.add(
            MatchLabel(
                case_id=case_id,
                person_id=person_id,
                is_match=is_match,
                levels=levels,
                labelled_by=by,
            )
        )


async def load_labels(tx: AsyncSession) -> list[tuple[bool, dict]]:
    rows = await tx.execute(select(MatchLabel.is_match, MatchLabel.levels))
    return [(bool(m), dict(levels)) for m, levels in rows.tuples().all()]
