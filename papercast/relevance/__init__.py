"""Relevance scoring beyond keywords: embeddings, field-weighted terms, calibrated decisions, reasons."""
