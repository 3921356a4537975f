"""Model training for Rapport: run from a source checkout, never imported by the server."""
