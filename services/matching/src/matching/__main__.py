from eventing.serve import main
from matching.config import MatchingSettings

main("matching.app:create_app", MatchingSettings)
