"""Example digests of our own, installed as papercast.examples: the first run's input."""
