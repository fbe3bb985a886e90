"""`idpro-webhooks` (or `python -m webhooks`): serve the webhooks service."""

from eventing.serve import main as serve
from webhooks.config import WebhooksSettings


def main() -> None:
    serve("webhooks.app:create_app", WebhooksSettings)


if __name__ == "__main__":
    main()
