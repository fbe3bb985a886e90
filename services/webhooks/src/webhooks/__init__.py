"""webhooks: signed deliveries of request outcomes to the HTTPS endpoints of API clients."""
