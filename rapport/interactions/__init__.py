"""Interactions (workitems) and their transcripts."""
