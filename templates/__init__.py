"""Jinja2 templates, installed as papercast.templates (see pyproject.toml, package-dir)."""
