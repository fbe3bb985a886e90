"""`idpro-intake` (or `python -m intake`): serve the intake service."""

from eventing.serve import main as serve
from intake.config import IntakeSettings


def main() -> None:
    serve("intake.app:create_app", IntakeSettings)


if __name__ == "__main__":
    main()
