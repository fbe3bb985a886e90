"""`idpro-notifier` (or `python -m notifier`): serve the notifier service."""

from eventing.serve import main as serve
from notifier.config import NotifierSettings


def main() -> None:
    serve("notifier.app:create_app", NotifierSettings)


if __name__ == "__main__":
    main()
