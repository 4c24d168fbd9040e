"""The public archive: editions per profile, the index and its chart, RSS/Atom feeds."""
