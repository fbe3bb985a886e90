"""`idpro-matching` (or `python -m matching`): serve the matching service."""

from eventing.serve import main as serve
from matching.config import MatchingSettings


def main() -> None:
    serve("matching.app:create_app", MatchingSettings)


if __name__ == "__main__":
    main()
