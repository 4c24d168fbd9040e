"""Did it arrive? Writing issues to the archive and outbox, composing email, sending over SMTP."""
