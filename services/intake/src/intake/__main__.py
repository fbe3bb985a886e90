from eventing.serve import main
from intake.config import IntakeSettings

main("intake.app:create_app", IntakeSettings)
