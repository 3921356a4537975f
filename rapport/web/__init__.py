"""Shared plumbing of the agent's web workspace: sessions, CSRF, templates, layout."""
