"""`idpro-history` (or `python -m history`): serve the history service."""

from eventing.serve import main as serve
from history.config import HistorySettings


def main() -> None:
    serve("history.app:create_app", HistorySettings)


if __name__ == "__main__":
    main()
