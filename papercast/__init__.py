"""papercast: personalized research-paper newsletters from paper digests."""

__version__ = "0.1.0"
