"""Who gets what, and what it looks like: run selection, planning each reader's issue, rendering, notes."""
