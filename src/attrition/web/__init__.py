"""The web service: JSON API, russianwarship.rip v2 compatibility, and the dashboard."""
