"""The catalogue of message keys, for the gateway and API clients to show texts themselves."""

from fastapi import APIRouter, Query

from contracts import LANGUAGES
from intake.texts import MESSAGES

router = APIRouter(tags=["messages"])


@router.get("/drafts/messages")
async def catalogue(lang: str | None = Query(default=None, pattern="^(fr|nl|de|en)$")) -> dict:
    """Every key intake may answer with → its text in fr, nl, de and en (or only `lang`)."""
    if lang is None:
        return {"languages": list(LANGUAGES), "messages": MESSAGES}
    only = {key: {lang: texts[lang]} for key, texts in MESSAGES.items()}
    return {"languages": [lang], "messages": only}
