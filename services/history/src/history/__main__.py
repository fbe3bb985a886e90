from eventing.serve import main
from history.config import HistorySettings

main("history.app:create_app", HistorySettings)
