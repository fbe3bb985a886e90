"""The one exception a document check raises."""

from __future__ import annotations

from typing import Any


class DocumentRefused(Exception):
    """A document was refused; `code` is a stable message key, `params` non-personal numbers."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        # The text carries only the key and numbers, so logs never hold document content.
        super().__init__(f"{code} {self.params}" if self.params else code)
