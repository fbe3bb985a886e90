from eventing.serve import main
from notifier.config import NotifierSettings

main("notifier.app:create_app", NotifierSettings)
