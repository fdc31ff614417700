"""Kỷ Cương — administrative and public-service discipline platform."""
