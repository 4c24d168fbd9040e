"""Prefect flows and deployments: thin wiring around the papercast core."""
